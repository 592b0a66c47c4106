from datetime import UTC, datetime, timedelta

from tests.store.test_sqlite import make_article
from watchfloor.config import Settings
from watchfloor.ingest.dedup import NearDuplicateFinder, containment, shingles
from watchfloor.ingest.language import detect_language
from watchfloor.model import Article, ArticleFacts
from watchfloor.pipeline import ingest_articles

WIRE = (
    "SEOUL, June 17 (Wire) - North Korea will send 1,000 deminers and 5,000 military "
    "construction workers to Russia's Kursk region, a senior Russian official said on Tuesday "
    "after talks in Pyongyang. The workers are to rebuild infrastructure destroyed in the "
    "fighting, he said, and the deminers are to clear mines left in the region."
)


def test_shingles_and_containment():
    assert shingles("One two three four") == {b"one two three", b"two three four"}
    assert shingles("Hi there") == {b"hi there"}
    a, b = shingles(WIRE), shingles(WIRE + " The report could not be verified independently.")
    assert containment(a, b) == 1.0
    assert containment(a, shingles("Completely different words about the weather today")) == 0.0


def test_finder_links_a_trimmed_copy_to_the_first_copy(store):
    original = make_article(url="https://wire.example/nk", text=WIRE)
    finder = NearDuplicateFinder(store, threshold=0.7)
    fp = finder.fingerprint(original.text)
    assert len(fp.band_keys) == 25
    assert fp.band_keys == finder.fingerprint(original.text).band_keys  # deterministic
    store.add([(original, ArticleFacts(original.id, band_keys=fp.band_keys))])
    copy_text = WIRE.replace("a senior Russian official", "Russia's security chief") + (
        " Seoul condemned the plan."
    )
    copy = make_article(url="https://observer.example/nk", text=copy_text)
    assert NearDuplicateFinder(store).first_copy(copy, finder.fingerprint(copy.text)) == original.id
    other = Article(**{**_fields(copy), "url": "https://x.example/o", "text": "Unrelated story."})
    assert NearDuplicateFinder(store).first_copy(other, finder.fingerprint(other.text)) is None


# A trimmed, lightly edited republication of WIRE (containment 0.8 and more).
COPY_TEXT = WIRE.replace("a senior Russian official", "Russia's security chief") + (
    " Seoul condemned the plan."
)
ORIGINAL_TIME = datetime(2025, 6, 17, 8, 0, tzinfo=UTC)


def _article(url: str, text: str, days_later: float, published: bool = True) -> Article:
    """An article appearing ``days_later`` after the original: published then, or undated and
    fetched then."""
    moment = ORIGINAL_TIME + timedelta(days=days_later)
    return Article(
        url=url,
        title="North Korea sends workers",
        text=text,
        source="Observer",
        published=moment if published else None,
        fetched_at=moment,
    )


def _copy(days_later: float, published: bool = True) -> Article:
    return _article(f"https://observer.example/nk/{days_later}", COPY_TEXT, days_later, published)


ORIGINAL = _article("https://wire.example/nk", WIRE, 0)


def test_stored_copy_counts_only_within_the_window(store):
    finder = NearDuplicateFinder(store, threshold=0.7, window_days=7.0)
    band_keys = finder.fingerprint(WIRE).band_keys
    store.add([(ORIGINAL, ArticleFacts(ORIGINAL.id, band_keys=band_keys))])

    def first_copy(article):
        return finder.first_copy(article, finder.fingerprint(article.text))

    assert first_copy(_copy(2)) == ORIGINAL.id
    assert first_copy(_copy(7)) == ORIGINAL.id  # the window's end is inside it
    assert first_copy(_copy(-3)) == ORIGINAL.id  # read out of order: the copy came first
    assert first_copy(_copy(60)) is None  # the same text two months later is a new report
    assert first_copy(_copy(7.01)) is None
    # Undated: placed at the time it was fetched.
    assert first_copy(_copy(1, published=False)) == ORIGINAL.id
    assert first_copy(_copy(60, published=False)) is None


def test_unstored_copy_of_this_run_counts_only_within_the_window(store):
    """Articles of this run still extracting (locally or on Dask workers) are checked against
    their own times, as stored ones are."""
    finder = NearDuplicateFinder(store, threshold=0.7, window_days=7.0)
    finder.remember(ORIGINAL, finder.fingerprint(WIRE))
    near, late = _copy(3), _copy(60)
    assert finder.first_copy(near, finder.fingerprint(near.text)) == ORIGINAL.id
    assert finder.first_copy(late, finder.fingerprint(late.text)) is None


def test_ingest_links_copies_within_the_configured_window(store):
    late_text = COPY_TEXT + " Officials in Seoul gave no further comment."
    late = _article("https://late.example/nk", late_text, 60)
    report = ingest_articles([ORIGINAL, _copy(2), late], store, Settings(), extract=False)
    assert (report.added, report.near_duplicates) == (3, 1)
    assert {a.url: a.duplicate_of for a in store.articles()} == {
        ORIGINAL.url: None,
        _copy(2).url: ORIGINAL.id,
        late.url: None,
    }
    wider = Settings().with_overrides(near_duplicate_window_days=90.0)
    later = _article("https://later.example/nk", COPY_TEXT + " Pyongyang did not reply.", 61)
    again = ingest_articles([later], store, wider, extract=False)
    assert (again.added, again.near_duplicates) == (1, 1)
    assert store.article(later.id).duplicate_of == ORIGINAL.id


def _fields(article):
    return {
        k: getattr(article, k)
        for k in ("url", "title", "text", "source", "published", "fetched_at")
    }


def test_language_detection():
    assert detect_language(WIRE) == "en"
    assert (
        detect_language("Der Bundestag hat am Donnerstag über die Konvention abgestimmt.") == "de"
    )
