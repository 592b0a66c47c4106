"""Corroboration: claims with their independent sources, wire copies counted once, single-source
claims marked; and the demo's planted corroborations."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.analyze.factbuilder import Said, build, corpus_of, event
from watchfloor.analyze.corroboration import claims_in, corroborate, load_corpus
from watchfloor.model import Article, Count, Quote, TimeExpr

VOTES = [
    ("Wire", "Lawmakers backed the withdrawal from the mine treaty by 157 votes to 18."),
    ("Ledger", "Parliament voted by 157 votes to 18 to withdraw from the Ottawa Convention."),
    ("Digest", "It wasn't close: 157 MPs voted to leave, and just 18 voted against."),
    ("Review", "The chamber approved the withdrawal, with 157 members in favour and 18 against."),
]
DEMINERS = "North Korea will send 1,000 deminers and 5,000 builders to Russia's Kursk region."


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2025, 6, day, hour, tzinfo=UTC)


def copy_of(original: Article, outlet: str, published: datetime):
    """A near-duplicate as ingestion stores it: linked to its original, not extracted."""
    article, facts = build(f"copy-{original.id}", outlet, published, [Said(original.text)])
    article.duplicate_of = original.id
    facts.sentences = []
    return article, facts


def counting(item, *figures: tuple[str, float, str]):
    """Add the counts extraction reads in the first sentence: (as written, value, role)."""
    article, facts = item
    for phrase, value, role in figures:
        start = article.text.index(phrase)
        what = phrase.split()[-1]
        facts.counts.append(Count(phrase, start, start + len(phrase), 0, value, what, role))
    return item


def deminers_story(outlet: str, published: datetime):
    return counting(
        build("deminers", outlet, published, [Said(DEMINERS)]),
        ("1,000 deminers", 1000, "deminers"),
        ("5,000 builders", 5000, "workers"),
    )


def claim_with(claims, figure_key: str):
    """The best corroborated claim of these figures."""
    return next(c for c in claims if c.key.startswith(f"figure:{figure_key}|"))


def test_one_figure_in_four_outlets_own_words_is_one_claim_with_four_sources():
    items = [
        build(f"vote-{n}", outlet, at(19, 10 + n), [Said(text)])
        for n, (outlet, text) in enumerate(VOTES)
    ]
    claims = claims_in(corpus_of(items))
    vote = claim_with(claims, "18+157")
    assert (vote.kind, vote.independent_sources, vote.single_source) == ("figure", 4, False)
    assert [s.outlet for s in vote.supports] == ["Wire", "Ledger", "Digest", "Review"]
    assert vote.text == VOTES[0][1]
    assert [s.url for s in vote.supports] == [a.url for a, _ in items]


def test_a_wire_copy_supports_the_claim_but_counts_once():
    original = deminers_story("Wire", at(17, 8))
    copy = copy_of(original[0], "Observer", at(17, 14))
    claims = claims_in(corpus_of([original, copy]))
    deminers = claim_with(claims, "1000+5000")
    assert [(s.outlet, s.copy_of) for s in deminers.supports] == [
        ("Wire", None),
        ("Observer", original[0].id),
    ]
    assert (deminers.independent_sources, deminers.single_source) == (1, True)
    # The copy cites the original's sentence.
    assert deminers.supports[1].sentence_index == 0
    # An outlet writing the story itself is a second source.
    own = build(
        "own",
        "Ledger",
        at(18),
        [Said("Pyongyang will send 1,000 deminers and 5,000 builders to help Russia in Kursk.")],
    )
    deminers = claim_with(claims_in(corpus_of([original, copy, own])), "1000+5000")
    assert deminers.independent_sources == 2


def test_one_number_counting_different_things_is_two_claims():
    prisoners = counting(
        build("p", "Ledger", at(18), [Said("North Korea said Russia would send 1,000 "
                                           "prisoners to the Kursk region.")]),
        ("1,000 prisoners", 1000, "prisoners"),
    )  # fmt: skip
    claims = claims_in(corpus_of([deminers_story("Wire", at(17)), prisoners]))
    figures = sorted((c.key, [s.outlet for s in c.supports]) for c in claims)
    assert figures == [("figure:1000+5000|-", ["Wire"]), ("figure:1000|-", ["Ledger"])]
    # A figure extraction read no count in, in one article only, is no claim.
    prisoners[1].counts = []
    assert [c.key for c in claims_in(corpus_of([prisoners]))] == []


def deadline(slug: str, outlet: str, text: str, phrase: str, published: datetime):
    """A sentence naming a deadline, with the time expression extraction reads."""
    article, facts = build(slug, outlet, published, [Said(text)])
    start = text.index(phrase)
    facts.times.append(TimeExpr(phrase, start, start + len(phrase), 0, "2027", "year",
                                date(2027, 1, 1)))  # fmt: skip
    return article, facts


def test_a_deadline_is_a_claim_of_the_sentences_that_say_much_the_same():
    found = claims_in(corpus_of([
        deadline("a", "Wire", "The Commission proposed ending all imports of Russian gas by the "
                 "end of 2027.", "the end of 2027", at(17)),
        deadline("b", "Review", "All remaining imports of Russian gas would stop by the end of "
                 "2027.", "the end of 2027", at(17, 12)),
        deadline("c", "Digest", "Russian gas imports must end once 2027 is over.", "2027",
                 at(18)),
        deadline("d", "Ledger", "The new stadium in Turku should open in 2027.", "2027", at(18)),
    ]))  # fmt: skip
    gas, stadium = [c for c in found if c.kind == "figure"]
    assert [s.outlet for s in gas.supports] == ["Wire", "Review", "Digest"]
    assert gas.independent_sources == 3
    assert gas.key == "figure:2027|-"
    assert ([s.outlet for s in stadium.supports], stadium.single_source) == (["Ledger"], True)
    assert stadium.key == "figure:2027|-|" + found[-1].supports[0].article_id + ".0"


def test_an_event_reported_by_two_outlets_and_one_elsewhere_reported_once():
    strike = event("strike_missile", date(2025, 6, 17), targets=("UA",))
    found = claims_in(corpus_of([
        build("a", "Wire", at(17, 8), [Said("A missile struck Kyiv overnight.", [strike])]),
        build("b", "Ledger", at(17, 9), [Said("Kyiv was hit by missiles.", [
            event("strike_missile", date(2025, 6, 17), targets=("UA",))])]),
        build("c", "Ledger", at(17, 10), [Said("Missiles hit Haifa.", [
            event("strike_missile", date(2025, 6, 17), targets=("IL",))])]),
    ]))  # fmt: skip
    events = {c.key: c for c in found if c.kind == "event"}
    assert sorted(events) == [
        "event:strike_missile|iso:IL|2025-06-17",
        "event:strike_missile|iso:UA|2025-06-17",
    ]
    ukraine = events["event:strike_missile|iso:UA|2025-06-17"]
    assert (ukraine.independent_sources, ukraine.single_source) == (2, False)
    assert (ukraine.category, ukraine.day, ukraine.theatre) == (
        "strike_missile",
        date(2025, 6, 17),
        "iso:UA",
    )
    assert events["event:strike_missile|iso:IL|2025-06-17"].single_source
    assert found[0] is ukraine  # best corroborated first


def test_two_articles_of_one_outlet_are_one_source():
    found = claims_in(corpus_of([
        build("a", "Wire", at(17, 8), [Said("Missiles struck Kyiv.", [
            event("strike_missile", date(2025, 6, 17), targets=("UA",))])]),
        build("b", "Wire", at(17, 9), [Said("Kyiv was hit by missiles.", [
            event("strike_missile", date(2025, 6, 17), targets=("UA",))])]),
    ]))  # fmt: skip
    [strike] = found
    assert (len(strike.supports), strike.independent_sources, strike.single_source) == (2, 1, True)


def said_by(slug: str, outlet: str, text: str, speaker: str, role: str, published: datetime):
    article, facts = build(slug, outlet, published, [Said(text)])
    facts.quotes.append(Quote(text, 0, len(text), 0, speaker, role, direct=False, cue="said"))
    return article, facts


def test_one_officials_statement_paraphrased_by_two_outlets_is_one_claim():
    found = claims_in(corpus_of([
        said_by("a", "Wire", "Russia was ready to mediate between Israel and Iran.",
                "Yuri Ushakov", "Kremlin aide", at(19, 8)),
        said_by("b", "Digest", "Moscow stood ready to mediate between Israel and Iran.",
                "Yuri Ushakov", "Kremlin aide", at(19, 12)),
        said_by("c", "Digest", "The leaders will meet again in the autumn.",
                "Yuri Ushakov", "Kremlin aide", at(19, 13)),
    ]))  # fmt: skip
    mediate, meeting = [c for c in found if c.kind == "statement"]
    assert [s.outlet for s in mediate.supports] == ["Wire", "Digest"]
    assert mediate.independent_sources == 2
    assert mediate.key == "statement:Yuri Ushakov|2025-06-19"
    assert meeting.single_source


def test_article_ids_restrict_the_claims_to_those_articles(store):
    items = [
        build(f"vote-{n}", outlet, at(19, 10 + n), [Said(text)])
        for n, (outlet, text) in enumerate(VOTES)
    ]
    store.add(items)
    chosen = [items[0][0].id, items[2][0].id]
    vote = claim_with(corroborate(store, article_ids=chosen), "18+157")
    assert [s.outlet for s in vote.supports] == ["Wire", "Digest"]
    assert [a.id for a in load_corpus(store, since=date(2025, 6, 19), until=date(2025, 6, 19),
                                      article_ids=chosen).articles] == chosen  # fmt: skip
    assert load_corpus(store, since=date(2025, 6, 20), article_ids=chosen).articles == []


# -- the demo corpus -------------------------------------------------------------------------


def test_demo_finland_vote_and_gas_deadline_each_by_four_outlets(demo_store):
    claims = corroborate(demo_store)
    vote = claim_with(claims, "18+157")
    assert {s.outlet for s in vote.supports} == {
        "Meridian Wire",
        "The Northern Ledger",
        "Frontline Digest",
        "Continental Review",
    }
    assert (vote.independent_sources, vote.day, vote.theatre) == (4, date(2025, 6, 19), "iso:FI")
    gas = claim_with(claims, "2027")
    assert gas.independent_sources == 4
    assert {s.outlet for s in gas.supports} == {
        "Meridian Wire",
        "The Northern Ledger",
        "Frontline Digest",
        "Continental Review",
    }
    assert "end of 2027" in gas.text


def test_demo_pacific_observer_copies_count_once(demo_store):
    claims = corroborate(demo_store)
    copies = {
        a.id: a.duplicate_of for a in demo_store.articles() if a.duplicate_of
    }  # the two Pacific Observer copies of Meridian Wire stories
    assert len(copies) == 2
    backed = [c for c in claims if any(s.article_id in copies for s in c.supports)]
    assert len(backed) >= 4
    for claim in backed:
        by_id = {s.article_id: s for s in claim.supports}
        for copy_id, original in copies.items():
            if copy_id in by_id:
                assert by_id[copy_id].copy_of == original and original in by_id
        originals = {s.outlet for s in claim.supports if s.copy_of is None}
        assert claim.independent_sources == len(originals)
    deminers = claim_with(claims, "1000+5000")
    assert [s.outlet for s in deminers.supports if s.copy_of] == ["Pacific Observer"]
    assert deminers.independent_sources == 4  # Meridian, Frontline, Ledger, Observer's own


def test_demo_single_source_claims_are_marked(demo_store):
    claims = corroborate(demo_store)
    assert all(c.single_source == (c.independent_sources == 1) for c in claims)
    injured = claim_with(claims, "134")
    assert injured.single_source
    assert [s.outlet for s in injured.supports] == ["Meridian Wire"]


def test_the_claims_command_lists_claims_sources_and_disputes(tmp_path):
    import json

    from typer.testing import CliRunner

    from watchfloor.cli import app
    from watchfloor.store import open_store

    db = tmp_path / "claims.db"
    store = open_store(db)
    store.add(
        [build(f"vote-{n}", outlet, at(19, 10 + n), [Said(text)]) for n, (outlet, text) in
         enumerate(VOTES)]
        + [build("gas", "Wire", at(18), [Said("Gas imports of 27 member states will end.", [
            event("energy_sanctions", date(2025, 6, 18), targets=("RU",))])])]
    )  # fmt: skip
    store.close()
    runner = CliRunner()
    shown = runner.invoke(app, ["claims", "--db", str(db), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    vote = data["claims"][0]
    assert (vote["key"], vote["independent_sources"]) == ("figure:18+157|-", 4)
    assert vote["supports"][0]["url"] == "https://wire.example/vote-0"
    assert data["disputes"] == []
    single = runner.invoke(
        app, ["claims", "--db", str(db), "--single-source", "--until", "2025-06-18"]
    )
    assert single.exit_code == 0, single.output
    assert single.output.splitlines()[:4] == [
        "CLAIMS: 1 (1 single-source)",
        "",
        "1 source  [single source]  event  2025-06-18  iso:RU  energy_sanctions",
        "  Gas imports of 27 member states will end.",
    ]
