"""An invented outlet, Harbour Watch, for the network tests: article pages and an RSS feed
served by the loopback server. The stories are made up for these tests."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | Harbour Watch</title>
  <meta property="og:site_name" content="Harbour Watch">
  <meta property="og:title" content="{title}">
  {meta}
</head>
<body>
  <header><a href="/">Harbour Watch</a>
    <nav><ul><li><a href="/ports">Ports</a></li><li><a href="/security">Security</a></li>
    <li><a href="/energy">Energy</a></li></ul></nav></header>
  <main><article>
    <h1>{title}</h1>
    {byline}
    {paragraphs}
  </article>
  <aside><h2>Most read</h2><ul><li><a href="/a">Ice season ends early</a></li>
  <li><a href="/b">Tanker detained off Gotland</a></li></ul></aside></main>
  <footer>&copy; 2025 Harbour Watch. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body>
</html>"""


@dataclass(frozen=True)
class Story:
    path: str
    title: str
    author: str
    published: str  # ISO 8601, as the page states it
    feed_date: str  # RFC 822, as the feed states it
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def page(self, with_meta: bool = True) -> bytes:
        meta = (
            f'<meta name="author" content="{escape(self.author)}">\n'
            f'  <meta property="article:published_time" content="{self.published}">'
            if with_meta
            else ""
        )
        byline = f'<p class="byline">By {escape(self.author)}</p>' if with_meta else ""
        return PAGE.format(
            title=escape(self.title),
            meta=meta,
            byline=byline,
            paragraphs="\n    ".join(f"<p>{escape(p)}</p>" for p in self.paragraphs),
        ).encode()


CABLE = Story(
    "/news/cable",
    "Coast guard escorts damaged cable ship into Hanko",
    "Liisa Korhonen",
    "2025-06-18T09:15:00+03:00",
    "Wed, 18 Jun 2025 06:20:00 +0000",
    (
        "The Finnish coast guard escorted a cable repair vessel into the port of Hanko on "
        "Wednesday morning after the ship reported engine trouble during work on a damaged "
        "data link in the Gulf of Finland.",
        "Officials said the crew of eleven was safe and that the repair, which began on Monday, "
        "would resume once the engine had been inspected. The cable carries internet traffic "
        "between Finland and Estonia.",
        "A spokesperson for the operator said the outage had not affected customers because "
        "traffic was rerouted through other links within minutes of the fault.",
    ),
)
PATROL = Story(
    "/news/patrol",
    "Estonia adds four patrol boats to its navy budget",
    "Mart Tamm",
    "2025-06-18T14:00:00+03:00",
    "Wed, 18 Jun 2025 11:05:00 +0000",
    (
        "Estonia's government agreed on Wednesday to buy four additional patrol boats for its "
        "navy, raising planned maritime spending for next year by about a fifth.",
        "The defence minister told reporters that the boats would watch over undersea "
        "infrastructure and shipping lanes in the Baltic Sea, where several incidents have "
        "been reported since last winter.",
        "Deliveries are expected to begin in 2027, the ministry said in a statement.",
    ),
)
GDANSK = Story(
    "/news/gdansk",
    "Port of Gdansk reports record container volumes in May",
    "Anna Nowak",
    "2025-06-19T08:30:00+02:00",
    "Thu, 19 Jun 2025 06:45:00 +0000",
    (
        "The port of Gdansk handled more containers in May than in any previous month, its "
        "management said on Thursday, citing new shipping routes to Asia and growing rail "
        "links to Ukraine.",
        "Managers said throughput rose by nine percent compared with the same month last year. "
        "They expect the second half of the year to be busier still as a new quay opens in the "
        "autumn.",
        "Unions at the port said staffing had not kept pace with the growth and asked for talks "
        "on shift patterns.",
    ),
)
STORIES = (CABLE, PATROL, GDANSK)


def rss(base: str, items: list[str], title: str = "Harbour Watch") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
        f"<channel><title>{escape(title)}</title><link>{base}/</link>\n"
        "<description>Ports, shipping and security around the Baltic.</description>\n"
        + "\n".join(items)
        + "\n</channel></rss>\n"
    ).encode()


def item(
    base: str,
    story: Story,
    summary: str = "",
    content: str = "",
    path: str | None = None,
) -> str:
    parts = [
        f"<item><title>{escape(story.title)}</title>",
        f"<link>{base}{path or story.path}?utm_source=rss</link>",
        f"<pubDate>{story.feed_date}</pubDate><dc:creator>{escape(story.author)}</dc:creator>",
    ]
    if summary:
        parts.append(f"<description>{escape(summary)}</description>")
    if content:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    return "".join(parts) + "</item>"


def feed(base: str) -> bytes:
    """The three stories, each with a one-line teaser, newest first."""
    return rss(base, [item(base, s, summary=s.paragraphs[0][:80]) for s in reversed(STORIES)])
