"""Markdown rendering: headings per section, citation markers as [n], Sources as a numbered list."""

from __future__ import annotations

import re
from urllib.parse import quote

from watchfloor.brief.records import (
    Briefing,
    Bullet,
    Item,
    NoteItem,
    Paragraph,
    PreparednessItem,
    QuoteItem,
    Section,
    Statement,
    StoryItem,
    TitleCheckItem,
    TrendItem,
)
from watchfloor.brief.render.layout import NOTE_LABELS, sparkline_text, story_span, timeline
from watchfloor.brief.text import (
    capitalised,
    counted,
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
        line = f"- {who}: \u201c{escape(q.text)}\u201d [{q.citation}]"
    else:
        line = f"- {who}: {escape(capitalised(body))} [{q.citation}]{end or '.'}"
    if q.role_check:
        flag = "**Title flagged.** " if q.role_flagged else ""
        line += f"  \n  _{flag}{statement(q.role_check)}_"
    return line


def _title_check(t: TitleCheckItem) -> list[str]:
    return [
        f"- **Title flagged**: {statement(t.sentence)}",
        f"  - {statement(t.note)} {statement(t.evidence)}",
    ]


def _trend(t: TrendItem) -> str:
    return f"- `{sparkline_text(t.values)}` {statement(t.statement)}"


def _preparedness(p: PreparednessItem) -> list[str]:
    lines = [
        f"### {p.heading}",
        "",
        f"_{counted(p.reports, 'article')} in the period, {p.trend}_",
        "",
        statement(p.evidence),
        "",
    ]
    lines += [f"- {capitalised(action)}." for action in p.actions]
    return lines


def _story(s: StoryItem) -> str:
    return (
        f"- *{escape(s.title)}* ({story_span(s)}; {counted(s.articles, 'article')}, "
        f"{counted(s.sources, 'source')}) [{s.citation}]"
    )


def _note(n: NoteItem) -> str:
    return f"- **{NOTE_LABELS[n.topic]}**: {statement(n.statement)}"


def _section_body(section: Section, briefing: Briefing) -> list[str]:
    if section.key == "sources":
        return [_source_line(c) for c in briefing.citations]
    if section.key in ("developments", "background"):
        return _bullets(section.items)
    lines: list[str] = []
    for item in section.items:
        if isinstance(item, Paragraph):
            text = statements(item.statements)
            lines += ["", f"**{text}**" if section.key == "headline" else text, ""]
        elif isinstance(item, QuoteItem):
            lines.append(_quote(item))
        elif isinstance(item, TitleCheckItem):
            lines += _title_check(item)
        elif isinstance(item, TrendItem):
            lines.append(_trend(item))
        elif isinstance(item, PreparednessItem):
            lines += ["", *_preparedness(item), ""]
        elif isinstance(item, StoryItem):
            lines.append(_story(item))
        elif isinstance(item, NoteItem):
            lines.append(_note(item))
        elif isinstance(item, Bullet):
            lines.append(f"- {statements(item.statements)}")
    # Blank lines separate blocks, never twice and never at the ends.
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    while tidy and not tidy[-1]:
        tidy.pop()
    return tidy


def _link(url: str) -> str:
    """A web address as an autolink; anything else (javascript:, data:) as inert text."""
    if is_web_url(url):
        return "<" + re.sub(r"[<>\s]", lambda m: quote(m.group()), url) + ">"
    return escape(url)


def _source_line(c: Citation) -> str:
    when = f", {format_day(c.published.date())}" if c.published else ""
    where = f" {_link(c.url)}" if c.url else ""
    return (
        f"{c.number}. {escape(c.source)}: *{escape(c.title)}*{when}.{where}  \n"
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
