"""Stories, timeline, indicators and alerts on a real slice of the Kremlin and Ukrainian
presidential press releases (../shared/corpus/ukr_rus_press_releases_2021_2022): the 47
releases of 4 February 2022 through Macron's visits to Moscow and Kyiv (evening of 7 February
through 8 February) and of 24 February 2022, read by the JSONL reader as `watchfloor ingest`
reads the whole file. The days before the visits are there as a running store has them: they
tell the story clustering which names every release of an office carries (Zelenskyy in all of
Kyiv's), so that it does not join the visit to the office's other news of the day on those
names. EVALUATION.md runs the whole corpus (eval/press_releases.py)."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, date, datetime

from watchfloor.analyze.alerts import evaluate_alerts
from watchfloor.analyze.indicators import indicators
from watchfloor.analyze.stories import story_rows, update_stories
from watchfloor.analyze.timeline import timeline
from watchfloor.config import Settings
from watchfloor.pipeline import ingest_paths
from watchfloor.store import open_store

CORPUS = "corpus/ukr_rus_press_releases_2021_2022/press_releases.jsonl.gz"
# Publication times as the file gives them (the sites' local clocks): [from, before).
SPANS = [("2022-02-04", "2022-02-09"), ("2022-02-24", "2022-02-25")]
KREMLIN = "Kremlin (President of Russia)"
UKRAINE = "Office of the President of Ukraine"
MACRON_VISITS = {
    (KREMLIN, "Talks with President of France Emmanuel Macron"),
    (KREMLIN, "News conference following Russian-French talks"),
    (UKRAINE, "President of Ukraine began a meeting with the President of France"),
}
RULES = """
rules:
  - name: ukraine-strikes
    theatre: UA
    metric: strikes
    threshold: 2
    min_sources: 1
    cooldown: 12h
    channels: [console]
"""


def _slice(shared, folder):
    with gzip.open(shared / CORPUS, "rt", encoding="utf-8") as lines:
        kept = [
            line
            for line in lines
            if any(a <= json.loads(line)["published_at"] < b for a, b in SPANS)
        ]
    path = folder / "press_releases.jsonl"
    path.write_text("".join(kept), encoding="utf-8")
    return path


def test_press_release_slice_through_stories_timeline_indicators_and_alerts(shared, tmp_path):
    store = open_store(tmp_path / "press.db")
    try:
        report = ingest_paths([_slice(shared, tmp_path)], store, Settings())
        assert (report.read, report.added, report.rejects) == (47, 47, [])
        assert update_stories(store, Settings()).placed == 47
        titles = {a.id: (a.source, a.title) for a in store.articles()}

        # Both presidencies' releases on Macron's visits form one story, and only those.
        rows = story_rows(store)
        assert sum(r["articles"] for r in rows) == 47
        both = [r for r in rows if r["sources"] == 2]
        assert len(both) == 1
        visit = {titles[a] for a in both[0]["article_ids"]}
        assert visit >= MACRON_VISITS
        assert len(visit) == 6 and {t[0] for t in visit} == {KREMLIN, UKRAINE}
        assert "Emmanuel Macron" in both[0]["key_actors"]
        assert both[0]["start"][:10] == "2022-02-07" and both[0]["end"][:10] == "2022-02-08"

        # The timeline stays within the slice; each sentence is quoted from its article.
        made = timeline(store, query="Macron", max_dates=4, sentences_per_date=2)
        days = [d.day for d in made.dates]
        assert len(days) == 4
        assert all(date(2022, 2, 7) <= day <= date(2022, 2, 24) for day in days)
        assert {date(2022, 2, 8), date(2022, 2, 24)} <= set(days)
        for d in made.dates:
            for s in d.sentences:
                assert "Macron" in s.text
                assert s.text in " ".join(store.article(s.article_id).text.split())
        # Kyiv's account of the meeting there on the 8th, the Kremlin's call on the 24th.
        by_day = {d.day: {s.source for s in d.sentences} for d in made.dates}
        assert UKRAINE in by_day[date(2022, 2, 8)]
        assert by_day[date(2022, 2, 24)] == {KREMLIN}

        # Indicators: the invasion day in Ukraine, with the toll that drove it.
        ukraine = {i.day: i for i in indicators(store, theatre="UA")}
        invasion = ukraine[date(2022, 2, 24)]
        assert invasion.measures["strikes"].value == 2
        assert invasion.measures["killed"].value == 40
        assert "more than 40 servicemen have been killed" in (
            invasion.measures["killed"].evidence[0].sentence
        )
        assert invasion.escalation > ukraine[date(2022, 2, 8)].escalation
        russia = {i.day: i for i in indicators(store, theatre="RU")}
        assert {date(2022, 2, 8), date(2022, 2, 24)} <= set(russia)

        # Alert rules, dry-run as of midnight after the invasion day.
        rules = tmp_path / "rules.yaml"
        rules.write_text(RULES, encoding="utf-8")
        midnight = datetime(2022, 2, 25, tzinfo=UTC)
        fired = evaluate_alerts(store, Settings(), rules, dry_run=True, now=midnight)
        assert [(a.rule.name, a.theatre, a.day, a.value) for a in fired] == [
            ("ukraine-strikes", "UA", date(2022, 2, 24), 2)
        ]
        assert fired[0].evidence and all(e.sentence for e in fired[0].evidence)
    finally:
        store.close()
