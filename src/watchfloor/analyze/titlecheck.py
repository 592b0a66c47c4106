"""Titles checked against who held the office on the article's date.

Every "title + person" mention extraction read (``PersonTitle``, from the wf_titles
component) is compared with the office-holder knowledge base (analyze/offices.py) as of the
day the article was published (else fetched). The rules:

- a current title ("Russian Defence Minister Sergei Shoigu") is consistent when the person
  held the post that day; ``title_outdated`` when the person held it only before;
  ``wrong_person`` when never (or only later);
- "former X" is consistent when one of the person's terms as X had ended by that day;
  ``not_former`` when the person still held X and had no finished term; ``wrong_person`` when
  never; "then X" is consistent when the person had held X by that day;
- "incoming X" or "new X" is consistent when the person held X that day or took it later;
- ``unknown`` when the person is not in the knowledge base but the post is (the title names
  that one post) and the book names its holder that day (a current title only): either the name
  is wrong or the book lacks it, and a reader should look. A title that names no position of
  the book, or a person with a bare title ("President") who held no such post, gives no flag:
  the book cannot say anything about it, and flagging every unknown office would drown the
  real errors.
"""

from __future__ import annotations

from datetime import date

from watchfloor.analyze.offices import (
    FUTURE_QUALIFIERS,
    PAST_QUALIFIERS,
    OfficeBook,
    Position,
    Term,
    labels,
    title_key,
)
from watchfloor.model import Article, ArticleFacts, PersonTitle, TitleFlag


def article_day(article: Article) -> date:
    """The day an article speaks as of: its publication date, else when it was fetched."""
    return (article.published or article.fetched_at).date()


def check_titles(
    article: Article, facts: ArticleFacts, book: OfficeBook, on: date | None = None
) -> list[TitleFlag]:
    """The title mentions of ``facts`` that disagree with ``book`` on the article's day (or
    on ``on`` when given), in text order; a consistent title yields no flag."""
    day = on or article_day(article)
    flags: dict[tuple[int, int], TitleFlag] = {}
    for title in facts.titles:
        flag = check_title(title, day, book, article.id)
        if flag is not None:
            flags.setdefault((flag.start, flag.end), flag)
    return sorted(flags.values(), key=lambda f: f.start)


def check_title(
    title: PersonTitle, day: date, book: OfficeBook, article_id: str = ""
) -> TitleFlag | None:
    """One mention checked as of ``day``: a flag, or None when it is consistent or the book
    cannot judge it."""
    positions = book.match_title(title.role, title.jurisdiction, person=title.person)
    if not positions:
        return None
    words = set(title_key(title.role).split())
    person = book.person(title.person)
    if person is None:
        # Only a title naming one post, held by someone that day, says the name is odd: "Kremlin
        # aide" fits several posts, and aides the book does not list are many.
        holders = book.holders(positions[0].key, day) if len(positions) == 1 else []
        if not holders or words & PAST_QUALIFIERS:
            return None
        return _flag("unknown", title, positions[0], day, book, article_id, None, holders)
    keys = {p.key for p in positions}
    terms = [t for t in book.terms_of(person) if t.position.key in keys]
    kind = _verdict(terms, day, words)
    if kind is None:
        return None
    position = terms[-1].position if terms else positions[0]
    holders = book.holders(position.key, day)
    return _flag(kind, title, position, day, book, article_id, person, holders, terms)


def _verdict(terms: list[Term], day: date, words: set[str]) -> str | None:
    """The flag kind for a person's ``terms`` in the claimed post, or None if consistent."""
    holds = any(t.covers(day) for t in terms)
    ended = any(t.ended_by(day) for t in terms)
    if "then" in words:
        return None if any(t.start is None or t.start <= day for t in terms) else "wrong_person"
    if words & PAST_QUALIFIERS:
        if ended:
            return None
        return "not_former" if holds else "wrong_person"
    if holds:
        return None
    if words & FUTURE_QUALIFIERS and any(t.start is not None and t.start > day for t in terms):
        return None
    return "title_outdated" if ended else "wrong_person"


def _flag(
    kind: str,
    title: PersonTitle,
    position: Position,
    day: date,
    book: OfficeBook,
    article_id: str,
    person: str | None,
    holders: list[Term],
    terms: list[Term] | None = None,
) -> TitleFlag:
    held = book.positions_held(person, day) if person else []
    previous = book.previous_terms(person, day) if person else []
    return TitleFlag(
        kind=kind,
        article_id=article_id,
        sentence_index=title.sentence_index,
        start=title.start,
        end=title.end,
        text=title.text,
        person=title.person,
        role_claimed=title.role,
        position=position.label,
        on=day,
        held_by=[t.person for t in holders],
        person_held=labels(held),
        person_previously=previous[0].position.label if previous else None,
        evidence=_evidence(kind, title, position, day, person, holders, terms or [], held),
    )


def _evidence(
    kind: str,
    title: PersonTitle,
    position: Position,
    day: date,
    person: str | None,
    holders: list[Term],
    terms: list[Term],
    held: list[Term],
) -> str:
    """One sentence with the knowledge-base facts behind a flag, dates included."""
    on = day.isoformat()
    holding = (
        f"on {on} {position.label} was held by "
        + " and ".join(f"{t.person} ({t.span()})" for t in holders)
        if holders
        else f"the knowledge base has no holder of {position.label} on {on}"
    )
    if kind == "unknown":
        return f"{title.person} is not in the office-holder knowledge base; {holding}."
    was = (
        f"{person} was " + " and ".join(f"{t.position.label} ({t.span()})" for t in held)
        if held
        else f"{person} held no post in the knowledge base that day"
    )
    if kind == "not_former":
        current = next(t for t in terms if t.covers(day))
        return f"Called former, {person} still held {position.label} on {on} ({current.span()})."
    if kind == "title_outdated":
        past = " and ".join(t.span() for t in terms if t.ended_by(day))
        return f"{person} was {position.label} {past}; {holding}, and {was}."
    later = [t for t in terms if t.start is not None and t.start > day]
    history = (
        f"{person} took the post only later ({later[0].span()})"
        if later
        else f"{person} never held {position.label}"
    )
    return f"{history}; {holding}; {was}."
