"""The `watchfloor` command: one sub-command per verb, each a few lines calling a stage."""

from __future__ import annotations

import sys
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
from watchfloor.pipeline import IngestReport, ingest_paths
from watchfloor.store import open_store

app = typer.Typer(
    help="Watchfloor: watch the news, read it into source-linked facts, brief with citations.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

# Exit status of `ingest` and `demo` when the run finished but some inputs were rejected.
EXIT_REJECTED = 3

DbOption = Annotated[
    str | None, typer.Option("--db", help="Store: a SQLite file (default from settings).")
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


def _run_ingest(
    paths: list[Path], settings: Settings, options: ReadOptions | None = None
) -> IngestReport:
    store = open_store(settings.db)
    try:
        with Progress(
            TextColumn("[bold]extracting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
        ) as progress:
            task = progress.add_task("extract", total=None)
            report = ingest_paths(
                paths,
                store,
                settings,
                options,
                on_start=lambda total: progress.update(task, total=total),
                on_progress=lambda n: progress.advance(task, n),
            )
    finally:
        store.close()
    err.print(f"[bold]ingest[/bold]: {report.summary()}  (store: {settings.db})")
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
) -> None:
    """Read articles from files and folders (.jsonl, .txt, .md, .html, RSS/Atom) into the store.

    Duplicates (same canonical URL or same text) are skipped; unreadable items are recorded as
    rejects with their reason. Exit status 3 when anything was rejected."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise WatchfloorError(f"no such file or folder: {', '.join(missing)}")
    options = ReadOptions(csv_columns=parse_column_mapping(columns) if columns else {})
    report = _run_ingest(paths, _settings(db), options)
    if report.rejects:
        raise typer.Exit(EXIT_REJECTED)


def _write_briefing(
    settings: Settings,
    fmt: str,
    output: Path | None,
    since: str | None = None,
    until: str | None = None,
    topic: str | None = None,
) -> str:
    from watchfloor.brief import compose_briefing, render

    store = open_store(settings.db)
    try:
        briefing = compose_briefing(
            store,
            since=_parse_day(since),
            until=_parse_day(until, end=True),
            topic=topic,
            preparedness_path=settings.preparedness or None,
            taxonomy_path=settings.taxonomy or None,
        )
    finally:
        store.close()
    text = render(briefing, fmt)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    return text


@app.command()
def brief(
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(help="First day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, included (YYYY-MM-DD).")] = None,
    topic: Annotated[str | None, typer.Option(help="Only articles matching this text.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="md, html or json.")] = "md",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")] = None,
) -> None:
    """Write a situation report in which every sentence cites its sources."""
    if fmt not in ("md", "html", "json"):
        raise WatchfloorError(f"--format {fmt!r}: choose md, html or json")
    text = _write_briefing(_settings(db), fmt, output, since, until, topic)
    if output:
        err.print(f"briefing written to {output}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


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
    """Row counts of the store and the inputs it rejected, with reasons."""
    store = open_store(_settings(db).db)
    try:
        stats, rejects = store.stats(), store.rejects()
    finally:
        store.close()
    table = Table("table", "rows")
    for name, rows in stats.items():
        table.add_row(name, str(rows))
    out.print(table)
    for r in rejects:
        out.print(f"rejected {r.source}: {r.reason}" + (f" ({r.detail})" if r.detail else ""))


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
    settings = _settings(db)
    report = _run_ingest(demo_paths(), settings)
    markdown = _write_briefing(settings, "md", out_dir / "briefing.md")
    _write_briefing(settings, "html", out_dir / "briefing.html")
    sys.stdout.write(markdown)
    err.print(
        f"\nbriefing written to {out_dir / 'briefing.md'} and {out_dir / 'briefing.html'}"
        f" (store: {settings.db})"
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
