from tests.store.test_sqlite import make_article
from watchfloor.ingest.dedup import NearDuplicateFinder, containment, shingles
from watchfloor.ingest.language import detect_language
from watchfloor.model import Article, ArticleFacts

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
