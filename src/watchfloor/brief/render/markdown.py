"""Markdown rendering: headings per section, citation markers as [n], Sources as a numbered list."""

from __future__ import annotations

import re
from urllib.parse import quote

from watchfloor.brief.records import (
    Briefing,
    Bullet,
    Item,
    Paragraph,
    PreparednessItem,
    QuoteItem,
    RelatedItem,
    Section,
    Statement,
)
from watchfloor.brief.render.layout import timeline
from watchfloor.brief.text import (
    capitalised,
    format_day,
    format_period,
    is_web_url,
    split_end,
)
from watchfloor.model import Citation

# Characters that Markdown would read as markup (or raw HTML) inside article text.
_MARKUP = re.compile(r"([\\`*_\[\]<>|#])")


def escape(text: str) -> str:
    """Article text as literal Markdown: markup characters are backslash-escaped, so a planted
    '<script>' or '[3]' in an article stays text."""
    return _MARKUP.sub(r"\\\1", text)


def markers(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def statement(s: Statement) -> str:
    body, end = split_end(s.text)
    cited = f"{escape(body)} {markers(s.citations)}" if s.citations else escape(body)
    return cited + end


def statements(items: list[Statement]) -> str:
    return " ".join(statement(s) for s in items)


def _bullets(items: list[Item]) -> list[str]:
    undated, groups = timeline(items)
    lines = [f"- {statements(b.statements)}" for b in undated]
    # Same-day developments share one date line; a lone one sits on it.
    for label, entries in groups:
        if len(entries) == 1:
            lines.append(f"- **{label}**: {statements(entries[0].statements)}")
        else:
            lines.append(f"- **{label}**:")
            lines += [f"  - {statements(e.statements)}" for e in entries]
    return lines


def _quote(q: QuoteItem) -> str:
    who = f"**{escape(q.speaker)}**" + (f", {escape(q.role)}" if q.role else "")
    body, end = split_end(q.text)
    if q.direct:
        return f"- {who}: \u201c{escape(q.text)}\u201d [{q.citation}]"
    return f"- {who}: {escape(capitalised(body))} [{q.citation}]{end or '.'}"


def _preparedness(p: PreparednessItem) -> list[str]:
    lines = [f"### {p.heading}", "", statement(p.evidence), ""]
    lines += [f"- {capitalised(action)}." for action in p.actions]
    return lines


def _related(r: RelatedItem) -> str:
    when = f", {format_day(r.published)}" if r.published else ""
    return f"- *{escape(r.title)}*, {escape(r.source)}{when} [{r.citation}]"


def _section_body(section: Section, briefing: Briefing) -> list[str]:
    if section.key == "sources":
        return [_source_line(c) for c in briefing.citations]
    lines: list[str] = []
    if any(isinstance(i, Bullet) for i in section.items):
        return _bullets(section.items)
    for item in section.items:
        if isinstance(item, Paragraph):
            text = statements(item.statements)
            lines += [f"**{text}**" if section.key == "headline" else text, ""]
        elif isinstance(item, QuoteItem):
            lines.append(_quote(item))
        elif isinstance(item, PreparednessItem):
            lines += [*_preparedness(item), ""]
        elif isinstance(item, RelatedItem):
            lines.append(_related(item))
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _link(url: str) -> str:
    """A web address as an autolink; anything else (javascript:, data:) as inert text."""
    if is_web_url(url):
        return "<" + re.sub(r"[<>\s]", lambda m: quote(m.group()), url) + ">"
    return escape(url)


def _source_line(c: Citation) -> str:
    when = f", {format_day(c.published.date())}" if c.published else ""
    return (
        f"{c.number}. {escape(c.source)}: *{escape(c.title)}*{when}. {_link(c.url)}  \n"
        f"   \u201c{escape(c.sentence_text)}\u201d"
    )


def render_markdown(briefing: Briefing) -> str:
    meta = [format_period(briefing.period_start, briefing.period_end)]
    if briefing.topic:
        meta.append(f"topic: {escape(briefing.topic)}")
    meta.append(f"generated {briefing.generated_at:%Y-%m-%d %H:%M} UTC")
    lines = [f"# {escape(briefing.title)}", "", f"_{' · '.join(meta)}_", ""]
    for section in briefing.sections:
        lines += [f"## {section.heading}", ""]
        body = _section_body(section, briefing)
        lines += [*(body or ["_None._"]), ""]
    return "\n".join(lines).rstrip() + "\n"
