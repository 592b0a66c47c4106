"""The `watchfloor` command: one sub-command per verb, each a few lines calling a stage."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from watchfloor.config import Settings, load_settings
from watchfloor.errors import WatchfloorError
from watchfloor.ingest.readers import ReadOptions
from watchfloor.ingest.readers.table import parse_column_mapping
from watchfloor.pipeline import Extraction, IngestReport, extract_paths, ingest_paths
from watchfloor.store import open_store, redact

app = typer.Typer(
    help="Watchfloor: watch the news, read it into source-linked facts, brief with citations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

# Exit status of `ingest` and `demo` when the run finished but some inputs were rejected.
EXIT_REJECTED = 3

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Store: a SQLite file or a postgresql:// URL (default: settings)."),
]


class State:
    settings: Settings = Settings()
    debug: bool = False


@app.callback()
def main(
    config: Annotated[
        Path | None, typer.Option("--config", help="Settings file (TOML); see README.")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    State.debug = debug
    State.settings = load_settings(config)


def _settings(db: str | None) -> Settings:
    return State.settings.with_overrides(db=db)


def _parse_day(value: str | None, *, end: bool = False) -> datetime | None:
    """A date or ISO timestamp; a bare ``--until`` date includes that whole day."""
    if not value:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value) + timedelta(days=1 if end else 0)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise WatchfloorError(
            f"{value!r} is not a date: use YYYY-MM-DD or an ISO timestamp"
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _after_intake(store, settings: Settings) -> None:
    """What runs after new articles arrive: new articles join stories, then the alert rules
    (when a rules file is set) are checked."""
    from watchfloor.analyze.alerts import console_lines, evaluate_alerts
    from watchfloor.analyze.stories import update_stories

    update = update_stories(store, settings)
    if update.placed:
        err.print(f"stories: {update.summary()}")

    for line in console_lines(evaluate_alerts(store, settings)):
        err.print(line, markup=False)


def _extraction(settings: Settings) -> AbstractContextManager[Extraction | None]:
    """Where ingest extracts: on a Dask cluster when settings name one, else here."""
    if not (settings.workers or settings.scheduler):
        return nullcontext()
    from watchfloor.distributed import dask_extraction  # Dask loads only when used

    return dask_extraction(settings)


def _run_ingest(
    paths: list[Path], settings: Settings, options: ReadOptions | None = None
) -> IngestReport:
    store = open_store(settings.db)
    try:
        with (
            _extraction(settings) as extraction,
            Progress(
                TextColumn("[bold]ingesting"),
                BarColumn(),  # the input is streamed, so its size is unknown: the bar pulses
                TextColumn("{task.completed} articles"),
                TimeElapsedColumn(),
                console=err,
            ) as progress,
        ):
            task = progress.add_task("ingest", total=None)
            report = ingest_paths(
                paths,
                store,
                settings,
                options,
                on_progress=lambda n: progress.advance(task, n),
                extraction=extraction,
            )
        _after_intake(store, settings)
    finally:
        store.close()
    err.print(f"[bold]ingest[/bold]: {report.summary()}  (store: {redact(settings.db)})")
    for r in report.rejects:
        err.print(
            f"  [yellow]rejected[/yellow] {r.source}: {r.reason}"
            + (f" ({r.detail})" if r.detail else "")
        )
    return report


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to read.")],
    db: DbOption = None,
    columns: Annotated[
        str | None,
        typer.Option(help="CSV columns for our fields, e.g. title=headline,text=body."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Extract on a local Dask cluster of this many worker processes."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Extract on the Dask cluster of this scheduler (tcp://HOST:8786)."),
    ] = None,
) -> None:
    """Read articles from files and folders (.jsonl, .csv, .txt, .md, .html, RSS/Atom, GDELT)
    into the store. An OPML file lists feeds rather than articles: its feeds are declared as
    sources, for `watchfloor fetch` to poll.

    Duplicates (same canonical URL or same text) are skipped; unreadable items are recorded as
    rejects with their reason. Exit status 3 when anything was rejected."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise WatchfloorError(f"no such file or folder: {', '.join(missing)}")
    settings = _settings(db).with_overrides(workers=workers, scheduler=scheduler)
    outlines = [p for p in paths if p.is_file() and p.suffix.lower() == ".opml"]
    if outlines:
        from watchfloor.ingest.sources import add_sources

        store = open_store(settings.db)
        try:
            for outline in outlines:
                added = add_sources(store, str(outline), settings)
                err.print(
                    f"{outline}: {len(added.added)} source(s) declared, {len(added.already)} "
                    f"already known; `watchfloor fetch` polls them"
                )
        finally:
            store.close()
    options = ReadOptions(columns=parse_column_mapping(columns) if columns else {})
    files = [p for p in paths if p not in outlines]
    if not files:
        return
    report = _run_ingest(files, settings, options)
    if report.rejects:
        raise typer.Exit(EXIT_REJECTED)


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders, any format ingest reads.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per article (JSON Lines).")
    ] = False,
    columns: Annotated[
        str | None,
        typer.Option(help="CSV columns for our fields, e.g. title=headline,text=body."),
    ] = None,
) -> None:
    """Print everything extracted from articles, without storing them.

    With --json: one object per article (schema version in each object; see README)."""
    import json

    from watchfloor.extract.jsonout import facts_to_json

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise WatchfloorError(f"no such file or folder: {', '.join(missing)}")
    options = ReadOptions(columns=parse_column_mapping(columns) if columns else {})
    rejected: list = []

    def report(rejects: list) -> None:
        rejected.extend(rejects)
        for r in rejects:
            err.print(f"[yellow]rejected[/yellow] {r.source}: {r.reason}")

    for article, facts in extract_paths(paths, State.settings, report, options):
        if as_json:
            sys.stdout.write(json.dumps(facts_to_json(article, facts), ensure_ascii=False) + "\n")
        else:
            _print_facts(article, facts)
    if rejected:
        raise typer.Exit(EXIT_REJECTED)


def _print_facts(article, facts) -> None:
    """A readable digest of one article's facts."""
    out.print(f"[bold]{article.title}[/bold] ({article.source}, {_when(article.published)})")
    for t in facts.times:
        out.print(f"  time    {t.text!r} -> {t.value} ({t.timex_type.lower()}, {t.precision})")
    for c in facts.counts:
        approx = "" if c.approx_kind == "exact" else f" {c.approx_kind}"
        out.print(f"  count   {c.text!r} -> {c.value:g} {c.role}{approx}")
    for q in facts.quotes:
        kind = "direct" if q.direct else "indirect"
        who = (q.speaker or "?") + (f" ({q.role})" if q.role else "")
        out.print(f"  quote   {kind}, {who}: {q.text[:90]!r}")
    for t in facts.titles:
        out.print(f"  title   {t.person} = {t.role} ({t.jurisdiction or '?'})")
    for e in facts.events:
        where = f" in {e.place}" if e.place else ""
        out.print(
            f"  event   {e.category} ({e.plover or '-'}) on {e.date or '?'}{where}: {e.trigger!r}"
        )
    linked = sorted({f"{m.text}={m.linked_id}" for m in facts.mentions if m.linked_id})
    if linked:
        out.print("  linked  " + ", ".join(linked))


def _compose_briefing(
    settings: Settings,
    since: str | None = None,
    until: str | None = None,
    topic: str | None = None,
):
    """Compose a briefing and save it in the store's briefing archive."""
    from watchfloor.brief import archive_briefing, compose_briefing

    store = open_store(settings.db)
    try:
        briefing = compose_briefing(
            store,
            since=_parse_day(since),
            until=_parse_day(until, end=True),
            topic=topic,
            preparedness_path=settings.preparedness or None,
            taxonomy_path=settings.taxonomy or None,
            settings=settings,
        )
        archive_briefing(store, briefing)
    finally:
        store.close()
    return briefing


def _write(text: str, output: Path | None) -> None:
    """Write to ``output``, or to stdout when there is none."""
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        err.print(f"written to {output}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command()
def brief(
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(help="First day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, included (YYYY-MM-DD).")] = None,
    topic: Annotated[str | None, typer.Option(help="Only articles matching this text.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="md, html or json.")] = "md",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")] = None,
) -> None:
    """Write a situation report in which every sentence cites its sources, and save it in the
    briefing archive (see `watchfloor briefings`)."""
    from watchfloor.brief import FORMATS, render

    if fmt not in FORMATS:
        raise WatchfloorError(f"--format {fmt!r}: choose md, html or json")
    _write(render(_compose_briefing(_settings(db), since, until, topic), fmt), output)


@app.command()
def briefings(
    db: DbOption = None,
    briefing_id: Annotated[
        int | None, typer.Option("--id", help="Show this archived briefing (md, html or json).")
    ] = None,
    limit: Annotated[int, typer.Option(help="Most briefings to list.")] = 20,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="table (default) or atom; with --id: md, html or json."),
    ] = None,
    base_url: Annotated[
        str, typer.Option(help="Where the web app serves briefings (for Atom links).")
    ] = "http://localhost:8000",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")] = None,
) -> None:
    """The briefing archive: list it, write it as an Atom feed, or show one briefing again."""
    from watchfloor.brief import FORMATS, briefing_from_dict, render, render_atom

    formats = FORMATS if briefing_id is not None else ("table", "atom")
    fmt = fmt or formats[0]
    if fmt not in formats:
        raise WatchfloorError(f"--format {fmt!r}: choose {', '.join(formats)}")
    store = open_store(_settings(db).db)
    try:
        if briefing_id is not None:
            found = store.briefing(briefing_id)
            if found is None:
                raise WatchfloorError(f"no archived briefing {briefing_id}; list them first")
            _write(render(briefing_from_dict(found.document), fmt), output)
            return
        archived = store.briefings(limit)
    finally:
        store.close()
    if fmt == "atom":
        _write(render_atom(archived, base_url), output)
        return
    from rich.markup import escape

    table = Table("id", "generated (UTC)", "period", "topic", "headline")
    for b in archived:
        period = f"{b.period_start or '…'} to {b.period_end or '…'}"
        when = f"{b.generated_at:%Y-%m-%d %H:%M}"
        # Article text is shown as written, never read as Rich markup.
        table.add_row(str(b.id), when, period, escape(b.topic or ""), escape(b.headline))
    out.print(table)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (all must match).")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="Most hits to show.")] = 20,
) -> None:
    """Full-text search over every stored sentence."""
    store = open_store(_settings(db).db)
    try:
        hits = store.search(query, limit=limit)
    finally:
        store.close()
    table = Table("date", "source", "sentence", show_lines=False)
    for hit in hits:
        when = hit.article.published.date().isoformat() if hit.article.published else ""
        table.add_row(when, hit.article.source, hit.snippet)
    out.print(table)
    err.print(f"{len(hits)} hit(s)")


@app.command()
def status(db: DbOption = None) -> None:
    """Row counts of the store, each source's polling health, and every rejected input."""
    store = open_store(_settings(db).db)
    try:
        stats, rejects, sources = store.stats(), store.rejects(), store.sources()
    finally:
        store.close()
    table = Table("table", "rows")
    for name, rows in stats.items():
        table.add_row(name, str(rows))
    out.print(table)
    _print_sources(sources)
    for r in rejects:
        out.print(f"rejected {r.source}: {r.reason}" + (f" ({r.detail})" if r.detail else ""))


sources_app = typer.Typer(help="Network sources: feeds and pages that fetch and watch poll.")
app.add_typer(sources_app, name="sources")

AllowPrivate = Annotated[
    bool,
    typer.Option(
        "--allow-private", help="Allow hosts on private, loopback or link-local addresses."
    ),
]


def _network_settings(db: str | None, allow_private: bool) -> Settings:
    return _settings(db).with_overrides(allow_private=allow_private or None)


@sources_app.command("add")
def sources_add(
    target: Annotated[str, typer.Argument(help="A feed or page URL, or an OPML file.")],
    db: DbOption = None,
    kind: Annotated[
        str | None, typer.Option(help="feed or page (default: fetch once to find out).")
    ] = None,
    allow_private: AllowPrivate = False,
) -> None:
    """Declare a source: a feed URL, a page URL, or every feed of an OPML file."""
    from watchfloor.ingest.sources import add_sources

    settings = _network_settings(db, allow_private)
    store = open_store(settings.db)
    try:
        outcome = add_sources(store, target, settings, kind=kind)
    finally:
        store.close()
    for source in outcome.added:
        out.print(f"added {source.kind} #{source.id} {source.url} {source.title}")
    for url in outcome.already:
        out.print(f"already declared: {url}")
    for entry, why in outcome.invalid:
        err.print(f"[yellow]skipped[/yellow] {entry}: {why}")


@sources_app.command("list")
def sources_list(db: DbOption = None) -> None:
    """Declared sources with their polling health."""
    store = open_store(_settings(db).db)
    try:
        sources = store.sources()
    finally:
        store.close()
    _print_sources(sources)


def _print_sources(sources: list) -> None:
    """One block per source: what it is, then how polling it has gone."""
    for s in sources:
        out.print(f"#{s.id} {s.kind} {s.url}" + (f"  {s.title}" if s.title else ""))
        health = (
            f"    last poll {_when(s.last_poll) or 'never'}, last success "
            f"{_when(s.last_success) or 'never'}, error streak {s.error_streak}, "
            f"{s.articles_added} articles, {s.rejects} rejects"
        )
        out.print(health + (f", last error: {s.last_error}" if s.last_error else ""))


@sources_app.command("remove")
def sources_remove(
    key: Annotated[str, typer.Argument(help="The source's id or URL.")], db: DbOption = None
) -> None:
    """Forget a source (the articles it brought stay)."""
    from watchfloor.ingest.sources import remove_source

    store = open_store(_settings(db).db)
    try:
        source = remove_source(store, key)
    finally:
        store.close()
    out.print(f"removed #{source.id} {source.url}")


@sources_app.command("export")
def sources_export(
    db: DbOption = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")] = None,
) -> None:
    """All sources as an OPML file (to move them to another store or reader)."""
    from watchfloor.ingest.sources import opml_document

    store = open_store(_settings(db).db)
    try:
        document = opml_document(store.sources())
    finally:
        store.close()
    if output:
        output.write_text(document, encoding="utf-8")
    else:
        sys.stdout.write(document)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


@app.command()
def fetch(
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(help="Only this source (id or URL).")] = None,
    allow_private: AllowPrivate = False,
) -> None:
    """One pass over every source: new feed items and pages are fetched, read and stored.

    Exit status 3 when anything was rejected. SIGINT/SIGTERM stop cleanly."""
    import threading

    from watchfloor.ingest.poll import fetch_all, stop_on_signals

    settings = _network_settings(db, allow_private)
    store = open_store(settings.db)
    try:
        with (
            stop_on_signals(threading.Event()) as stop,
            Progress(
                TextColumn("[bold]polling"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
            ) as progress,
        ):
            task = progress.add_task("poll", total=None)
            report = fetch_all(
                store,
                settings,
                source=source,
                stop=stop,
                on_start=lambda total: progress.update(task, total=total),
                on_progress=lambda _outcome: progress.advance(task),
            )
        _after_intake(store, settings)
    finally:
        store.close()
    err.print(f"[bold]fetch[/bold]: {report.summary()}")
    for r in report.rejects:
        err.print(f"  [yellow]rejected[/yellow] {r.source}: {r.reason}")
    if report.rejects:
        raise typer.Exit(EXIT_REJECTED)


@app.command()
def watch(
    every: Annotated[str, typer.Option(help="Interval between passes: 90s, 15m, 1h.")] = "15m",
    db: DbOption = None,
    allow_private: AllowPrivate = False,
) -> None:
    """Poll every source again and again until SIGINT or SIGTERM, then stop cleanly."""
    import threading

    from watchfloor.ingest.poll import parse_duration, stop_on_signals
    from watchfloor.ingest.poll import watch as watch_sources

    settings = _network_settings(db, allow_private)
    interval = parse_duration(every)
    store = open_store(settings.db)
    try:
        with stop_on_signals(threading.Event()) as stop:
            passes = watch_sources(
                store,
                settings,
                interval,
                stop,
                on_pass=lambda report: (
                    err.print(f"{datetime.now().strftime('%H:%M:%S')} {report.summary()}"),
                    _after_intake(store, settings),
                ),
            )
    finally:
        store.close()
    err.print(f"watch stopped after {passes} pass(es)")


# Exit status of `check` when it flagged something.
EXIT_FLAGGED = 4


@app.command()
def check(
    target: Annotated[
        str, typer.Argument(help="A file or folder (any format ingest reads) or an http(s) URL.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="The flags as a JSON list.")] = False,
    on: Annotated[
        str | None,
        typer.Option(help="Check as of this day (YYYY-MM-DD), not each article's date."),
    ] = None,
    allow_private: AllowPrivate = False,
) -> None:
    """Check an article or report (yours or anyone's) without storing it: every "title +
    person" against who held the office on its date, and figures its articles contradict each
    other on. Exit status 4 when anything was flagged, 3 when nothing was but inputs were
    rejected."""
    import json

    from watchfloor.analyze.offices import load_offices
    from watchfloor.check import check_target, checks_json, report_lines

    settings = _network_settings(None, allow_private)
    day = _parse_day(on)
    rejected: list = []

    def report(rejects: list) -> None:
        rejected.extend(rejects)
        for r in rejects:
            err.print(f"[yellow]rejected[/yellow] {r.source}: {r.reason}", markup=True)

    checked = check_target(target, settings, report, day.date() if day else None)
    if as_json:
        sys.stdout.write(json.dumps(checks_json(checked), ensure_ascii=False, indent=2) + "\n")
    else:
        for line in report_lines(checked, load_offices(settings.offices or None)):
            out.print(line)
    if checked.flagged:
        raise typer.Exit(EXIT_FLAGGED)
    if rejected:
        raise typer.Exit(EXIT_REJECTED)


@app.command()
def stories(
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(help="First day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, included (YYYY-MM-DD).")] = None,
    query: Annotated[str | None, typer.Option(help="Only stories matching this text.")] = None,
    limit: Annotated[int | None, typer.Option(help="Most stories to show.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Cluster every article afresh first.")
    ] = False,
) -> None:
    """Stories: all coverage of one happening, with span, key actors and places, articles and
    independent sources (wire copies count once), latest activity first."""
    from watchfloor.analyze.stories import (
        rebuild_stories,
        render_stories_json,
        render_stories_table,
        story_rows,
        update_stories,
    )

    if fmt not in ("table", "json"):
        raise WatchfloorError(f"--format {fmt!r}: choose table or json")
    settings = _settings(db)
    store = open_store(settings.db)
    try:
        (rebuild_stories if rebuild else update_stories)(store, settings)
        rows = story_rows(
            store, _parse_day(since), _parse_day(until, end=True), query=query, limit=limit
        )
    finally:
        store.close()
    sys.stdout.write((render_stories_json if fmt == "json" else render_stories_table)(rows))


@app.command()
def claims(
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(help="First day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, included (YYYY-MM-DD).")] = None,
    query: Annotated[str | None, typer.Option(help="Only articles matching this text.")] = None,
    single_source: Annotated[
        bool, typer.Option("--single-source", help="List only single-source claims.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Claims with the independent sources that report them (wire copies count once) and
    links, single-source claims marked; then figures reported differently: updates (a rising
    toll) and contradictions, with who said what when."""
    from watchfloor.analyze.claim_views import (
        claims_and_disputes,
        render_claims_json,
        render_claims_table,
    )

    if fmt not in ("table", "json"):
        raise WatchfloorError(f"--format {fmt!r}: choose table or json")
    store = open_store(_settings(db).db)
    try:
        found, disputes = claims_and_disputes(
            store, _parse_day(since), _parse_day(until, end=True), query, single_source
        )
    finally:
        store.close()
    render = render_claims_json if fmt == "json" else render_claims_table
    sys.stdout.write(render(found, disputes))


@app.command()
def timeline(
    db: DbOption = None,
    query: Annotated[
        str | None, typer.Option(help="Only sentences with all these words (alternatives: OR).")
    ] = None,
    since: Annotated[str | None, typer.Option(help="First day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, included (YYYY-MM-DD).")] = None,
    max_dates: Annotated[int, typer.Option(help="Most dates to list.")] = 10,
    sentences_per_date: Annotated[int, typer.Option(help="Sentences per date.")] = 2,
    fmt: Annotated[str, typer.Option("--format", help="md or json.")] = "md",
) -> None:
    """The dates that matter and the sentences that best say what happened on each, each
    sentence with its source."""
    from watchfloor.analyze.timeline import (
        render_timeline_json,
        render_timeline_markdown,
    )
    from watchfloor.analyze.timeline import timeline as make_timeline

    if fmt not in ("md", "json"):
        raise WatchfloorError(f"--format {fmt!r}: choose md or json")
    store = open_store(_settings(db).db)
    try:
        made = make_timeline(
            store,
            query=query,
            since=_parse_day(since),
            until=_parse_day(until),  # the timeline includes its last day
            max_dates=max_dates,
            sentences_per_date=sentences_per_date,
        )
    finally:
        store.close()
    sys.stdout.write((render_timeline_json if fmt == "json" else render_timeline_markdown)(made))


@app.command()
def indicators(
    db: DbOption = None,
    theatre: Annotated[
        str | None, typer.Option(help="A country (ISO code or name); default: all.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="First day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, included (YYYY-MM-DD).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    plot: Annotated[
        Path | None, typer.Option(help="Also draw the series: PATH.html or PATH.png.")
    ] = None,
) -> None:
    """Daily series per theatre and threat category, with baseline, anomaly score and an
    escalation index that names what moved and which articles drove it."""
    from watchfloor.analyze.indicator_views import (
        plot_indicators,
        render_csv,
        render_json,
        render_table,
    )
    from watchfloor.analyze.indicators import indicators as compute

    renderers = {"table": render_table, "json": render_json, "csv": render_csv}
    if fmt not in renderers:
        raise WatchfloorError(f"--format {fmt!r}: choose table, json or csv")
    store = open_store(_settings(db).db)
    try:
        series = compute(
            store, theatre=theatre, since=_parse_day(since), until=_parse_day(until, end=True)
        )
    finally:
        store.close()
    sys.stdout.write(renderers[fmt](series))
    if plot:
        err.print(f"plot written to {plot_indicators(series, plot)}")


alerts_app = typer.Typer(help="Alert rules: dry-run them and list what fired.")
app.add_typer(alerts_app, name="alerts")


@alerts_app.command("test")
def alerts_test(
    db: DbOption = None,
    rules: Annotated[
        Path | None, typer.Option(help="Rules file (YAML); default: the alerts setting.")
    ] = None,
    at: Annotated[
        str | None, typer.Option(help="Evaluate as of this moment (ISO); default: now.")
    ] = None,
) -> None:
    """Show what the rules would fire now (or --at a moment), sending and recording nothing."""
    from watchfloor.analyze.alerts import console_lines, evaluate_alerts

    settings = _settings(db)
    store = open_store(settings.db)
    try:
        fired = evaluate_alerts(store, settings, rules_path=rules, dry_run=True, now=_parse_day(at))
    finally:
        store.close()
    for line in console_lines(fired, dry_run=True):
        out.print(line, markup=False)
    if not fired:
        out.print("no rule would fire")


@alerts_app.command("list")
def alerts_list(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="Most alerts to show.")] = 50,
    rule: Annotated[str | None, typer.Option(help="Only this rule.")] = None,
) -> None:
    """Alerts that fired, newest first, with their evidence and what each channel did."""
    from watchfloor.analyze.alerts import render_alert_log

    store = open_store(_settings(db).db)
    try:
        sys.stdout.write(render_alert_log(store.alert_log(limit, rule)))
    finally:
        store.close()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the dashboard at / and the JSON API at /api (schema: /api/openapi.json)."""
    import uvicorn

    from watchfloor.web.app import create_app

    settings = _settings(db)
    open_store(settings.db).close()  # a store that cannot be opened fails here, not per request
    err.print(f"serving {redact(settings.db)} at http://{host}:{port}/ (API: /api, Ctrl-C stops)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def demo_paths() -> list[Path]:
    """The demo corpus shipped in the package (its README is documentation, not an article)."""
    folder = Path(str(resources.files("watchfloor") / "data" / "demo"))
    return [p for p in sorted(folder.iterdir()) if p.name != "README.md"]


@app.command()
def demo(
    db: Annotated[str, typer.Option(help="Store for the demo.")] = "out/demo.db",
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the briefings.")] = Path("out"),
) -> None:
    """Ingest the bundled demo corpus and write out/briefing.md and out/briefing.html."""
    from watchfloor.brief import render

    settings = _settings(db)
    report = _run_ingest(demo_paths(), settings)
    briefing = _compose_briefing(settings)
    markdown = render(briefing, "md")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "briefing.md").write_text(markdown, encoding="utf-8")
    (out_dir / "briefing.html").write_text(render(briefing, "html"), encoding="utf-8")
    sys.stdout.write(markdown)
    err.print(
        f"\nbriefing written to {out_dir / 'briefing.md'} and {out_dir / 'briefing.html'}"
        f" (store: {redact(settings.db)})\n"
        f"browse it: watchfloor serve --db {redact(settings.db)}"
    )
    if report.rejects:
        raise typer.Exit(EXIT_REJECTED)


def run() -> None:
    """Entry point: errors print as one line (with the traceback under --debug)."""
    try:
        app()
    except WatchfloorError as exc:
        if State.debug:
            raise
        err.print(f"[red]error:[/red] {exc}")
        sys.exit(1)
