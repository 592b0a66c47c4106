"""The Atom feed (RFC 4287) of archived briefings, shared by `watchfloor briefings --format
atom` and the web API.

``base_url`` is where briefings are served: entry ``n`` links to ``{base_url}/briefings/n``
and the feed to ``{base_url}/briefings.atom``. Each entry's summary is the headline; its
content (HTML, escaped inside the XML) is the headline and summary, every citation marker a
link to the cited article.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from markupsafe import Markup, escape

from watchfloor.brief.text import is_web_url, split_end
from watchfloor.store.base import ArchivedBriefing

ATOM = "http://www.w3.org/2005/Atom"
FEED_TITLE = "Watchfloor briefings"
_CONTENT_SECTIONS = ("headline", "summary")


def _stamp(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _content(document: dict) -> str:
    """Headline and summary as an HTML fragment; markers link to the cited articles."""
    urls = {c["number"]: c["url"] for c in document.get("citations", [])}
    paragraphs = []
    for section in document.get("sections", []):
        if section.get("key") not in _CONTENT_SECTIONS:
            continue
        for item in section.get("items", []):
            parts = []
            for statement in item.get("statements", []):
                body, end = split_end(statement["text"])
                links = Markup("").join(
                    Markup('<a href="{}">[{}]</a>').format(urls[n], n)
                    if is_web_url(urls.get(n, ""))
                    else Markup("[{}]").format(n)
                    for n in statement["citations"]
                )
                parts.append(escape(body) + Markup(" ") + links + escape(end))
            paragraphs.append(Markup("<p>{}</p>").format(Markup(" ").join(parts)))
    return str(Markup("").join(paragraphs))


def render_atom(briefings: list[ArchivedBriefing], base_url: str) -> str:
    """The feed of ``briefings`` (newest first, as the archive lists them)."""
    base = base_url.rstrip("/")
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    add(feed, "id", f"{base}/briefings")
    add(feed, "title", FEED_TITLE)
    newest = max((b.generated_at for b in briefings), default=datetime.now(UTC))
    add(feed, "updated", _stamp(newest))
    add(feed, "link", rel="self", href=f"{base}/briefings.atom", type="application/atom+xml")
    add(feed, "link", rel="alternate", href=f"{base}/briefings", type="text/html")
    add(add(feed, "author"), "name", "Watchfloor")
    add(feed, "generator", "watchfloor")
    for b in briefings:
        entry = add(feed, "entry")
        url = f"{base}/briefings/{b.id}"
        add(entry, "id", url)
        add(entry, "title", b.title)
        add(entry, "updated", _stamp(b.generated_at))
        add(entry, "published", _stamp(b.generated_at))
        add(entry, "link", rel="alternate", href=url, type="text/html")
        if b.topic:
            add(entry, "category", term=b.topic)
        add(entry, "summary", b.headline)
        add(entry, "content", _content(b.document), type="html")
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"
