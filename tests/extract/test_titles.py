"""People named with a title: (person, role as written, jurisdiction)."""

from __future__ import annotations

import pytest

from tests.conftest import DEMO
from watchfloor.errors import CatalogError
from watchfloor.extract import extract_facts
from watchfloor.extract.components.titles import load_titles
from watchfloor.ingest.readers import read_path
from watchfloor.model import Article, PersonTitle


def titles(facts) -> list[tuple[str, str, str | None]]:
    return [(t.person, t.role, t.jurisdiction) for t in facts.titles]


def test_the_demo_corpus_titles_come_out_as_written(nlp):
    """The demo plants two titles that were out of date in June 2025 for the claim checker:
    they must be read exactly as written."""
    files = ["diplomacy.jsonl", "feeds/frontline-digest.atom", "feeds/northern-ledger.rss"]
    articles = {
        a.url: a for name in files for a in read_path(DEMO / name) if isinstance(a, Article)
    }
    kursk = (
        "https://frontlinedigest.example/2025/06/17/kim-army-of-builders-6000-north-koreans-kursk"
    )
    mediator = "https://frontlinedigest.example/news/putin-xi-slam-israel-iran-moscow-peacemaker"
    hague = (
        "https://northernledger.example/analysis/2025/06/20/before-the-hague-sea-and-five-percent"
    )
    found = {
        url: facts.titles
        for url, facts in zip(
            (kursk, mediator, hague),
            extract_facts(nlp, [articles[kursk], articles[mediator], articles[hague]]),
            strict=True,
        )
    }
    assert found[kursk] == [
        PersonTitle(
            text="Russian Defence Minister Sergei Shoigu",
            start=51,
            end=89,
            sentence_index=1,
            person="Sergei Shoigu",
            role="Russian Defence Minister",
            jurisdiction="iso:RU",
        )
    ]
    assert found[mediator] == [
        PersonTitle(
            "Kremlin aide Yuri Ushakov", 249, 274, 4, "Yuri Ushakov", "Kremlin aide", "iso:RU"
        ),
        PersonTitle(
            "Estonian Prime Minister Kaja Kallas",
            1153,
            1188,
            15,
            "Kaja Kallas",
            "Estonian Prime Minister",
            "iso:EE",
        ),
        PersonTitle(
            "Kremlin spokesman Dmitry Peskov",
            1289,
            1320,
            16,
            "Dmitry Peskov",
            "Kremlin spokesman",
            "iso:RU",
        ),
    ]
    assert found[hague] == [
        PersonTitle(
            "Secretary General Mark Rutte", 150, 178, 0, "Mark Rutte", "Secretary General", None
        ),
        PersonTitle(
            "Kaja Kallas, the former Estonian prime minister",
            1213,
            1260,
            6,
            "Kaja Kallas",
            "former Estonian prime minister",
            "iso:EE",
        ),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A title before the name; the jurisdiction from a demonym, a building, an organisation.
        (
            "NATO chief Mark Rutte and IAEA chief Rafael Grossi spoke.",
            [("Mark Rutte", "NATO chief", "org:NATO"), ("Rafael Grossi", "IAEA chief", "org:IAEA")],
        ),
        (
            "U.N. Secretary-General Antonio Guterres called for a ceasefire.",
            [("Antonio Guterres", "U.N. Secretary-General", "org:UN")],
        ),
        (
            "Ukrainian Deputy Prime Minister Olha Stefanishyna spoke in Brussels.",
            [("Olha Stefanishyna", "Ukrainian Deputy Prime Minister", "iso:UA")],
        ),
        (
            "Former U.S. President Barack Obama spoke.",
            [("Barack Obama", "Former U.S. President", "iso:US")],
        ),
        (
            "President of Russia Vladimir Putin held a meeting.",
            [("Vladimir Putin", "President of Russia", "iso:RU")],
        ),
        # An abbreviation that is a word too counts where a title follows it.
        (
            "WHO chief Tedros Adhanom Ghebreyesus warned of disease.",
            [("Tedros Adhanom Ghebreyesus", "WHO chief", "org:WHO")],
        ),
        # A person's possessive makes a generic role a title, with no jurisdiction.
        (
            "Putin's spokesman Dmitry Peskov declined to comment.",
            [("Dmitry Peskov", "Putin's spokesman", None)],
        ),
        # The name set off by commas.
        (
            "Russia's foreign minister, Sergei Lavrov, said the talks had failed.",
            [("Sergei Lavrov", "Russia's foreign minister", "iso:RU")],
        ),
        (
            "The EU's top diplomat, Kaja Kallas, said sanctions would stay.",
            [("Kaja Kallas", "EU's top diplomat", "org:EU")],
        ),
        # The title after the name.
        (
            "Dmitry Peskov, the Kremlin's spokesman, told reporters nothing had changed.",
            [("Dmitry Peskov", "Kremlin's spokesman", "iso:RU")],
        ),
        (
            "Kaja Kallas, Estonia's former prime minister, now leads EU diplomacy.",
            [("Kaja Kallas", "Estonia's former prime minister", "iso:EE")],
        ),
    ],
)
def test_title_shapes(extract, text, expected):
    assert titles(extract(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Not an office in our vocabulary.
        "Kristian Aaltonen, operations director at Saaristo Subsea, said the cable was cut.",
        "The gap is wide, said Pavel Ostrovsky, a Russia analyst at the London School.",
        # A generic role with nobody's name beside it.
        "The team met chief Mark Rutte yesterday.",
        "Trump envoy Steve Witkoff flew to Moscow.",
        # The name starts a new clause after a phrase that ends in a title.
        "After a call with the prime minister, Kallas said the talks went well.",
        # "head of the city ..." runs on past what we can read.
        "Tymur Tkachenko, head of the city military administration, said rescuers worked.",
    ],
)
def test_no_title_where_the_words_leave_doubt(extract, text):
    assert extract(text).titles == []


def test_a_title_between_two_names_belongs_to_the_second(extract):
    facts = extract("He met Vladimir Putin, Chinese President Xi Jinping and others.")
    assert titles(facts) == [("Xi Jinping", "Chinese President", "iso:CN")]


def test_local_offices_take_their_place_as_jurisdiction(extract):
    facts = extract(
        "Kyiv Mayor Vitali Klitschko said the metro stayed open. Oleh Syniehubov, the "
        "governor of the Kharkiv region, said two people died."
    )
    assert titles(facts) == [
        ("Vitali Klitschko", "Kyiv Mayor", "gn:703448"),
        ("Oleh Syniehubov", "governor of the Kharkiv region", "adm1:UA.07"),
    ]


def test_vocabulary_is_validated(tmp_path):
    vocabulary = load_titles()
    assert vocabulary.roles[("defence", "minister")].kind == "roles"
    assert vocabulary.roles[("secretary", "of", "<J>", "'s", "security", "council")].kind == (
        "roles"
    )
    assert vocabulary.roles[("commission", "president")].implied == "org:EC"
    path = tmp_path / "titles.toml"
    path.write_text(
        'roles = ["president"]\nneeds_whose = ["chief"]\nlocal_roles = ["mayor"]\n'
        'portfolios = ["defence"]\nranks = ["deputy"]\nqualifiers = ["former"]\n'
        '[implied]\n"king" = "org:EU"\n',
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match=r"\[implied\] names roles not listed: king"):
        load_titles(str(path))
    path.write_text('roles = ["president"]\nsalutations = ["Mr"]\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"unknown key\(s\) salutations"):
        load_titles(str(path))
