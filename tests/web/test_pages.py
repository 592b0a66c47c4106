"""The dashboard pages through FastAPI's test client: what the browser tests do not reach
(missing map shapes, bad filters, unknown records, the Plotly bundle) and the map geometry."""

from __future__ import annotations

import json
from importlib import resources

from watchfloor.web import worldmap


def test_plotly_is_served_from_the_installed_package(client):
    response = client.get("/vendor/plotly.min.js")
    bundled = resources.files("plotly") / "package_data" / "plotly.min.js"
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.content == bundled.read_bytes()


def test_map_says_when_the_country_shapes_are_missing(client, monkeypatch, tmp_path):
    monkeypatch.setattr(worldmap, "ATLAS_FILE", tmp_path / "countries-110m.json")
    page = client.get("/map").text
    assert 'id="shapes-missing"' in page
    assert f"{tmp_path / 'countries-110m.json'} was not found" in page
    assert 'id="world-map"' not in page
    assert 'id="place-1"' in page  # the events are listed all the same


def test_bad_filters_are_reported_not_fatal(client):
    page = client.get("/search", params={"q": "drone", "since": "June", "theatre": "Atlantis"})
    assert page.status_code == 200
    assert "since: &#39;June&#39; is not a date (YYYY-MM-DD)" in page.text
    assert "theatre &#39;Atlantis&#39; is not a country" in page.text
    page = client.get("/map", params={"category": "no_such_thing"})
    assert "category &#39;no_such_thing&#39; is not in the taxonomy" in page.text


def test_unknown_records_are_html_404_pages(client):
    for path in ("/articles/0000", "/stories/s-0000", "/briefings/999999", "/entity?name=Nobody"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert "<h1>Not found</h1>" in response.text


def test_search_without_words_lists_articles_of_a_source(client):
    page = client.get("/search", params={"source": "Pacific Observer"}).text
    rows = page.count('<p class="meta">Pacific Observer,')
    assert rows == page.count('<li>\n<p class="hit">') > 0


def test_topology_arcs_decode_and_cross_the_antimeridian(tmp_path):
    # A triangle of two arcs (the second run backwards) and a box across 180 degrees.
    box = [[175, -5], [4, 0], [-358, 0], [0, 10], [358, 0], [-4, 0], [0, -10]]
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[10, 10], [10, 0], [-5, 10]], [[10, 10], [5, 10]], box],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, ~1]], "id": "804", "properties": {}},
                    {"type": "Polygon", "arcs": [[2]], "id": "242"},
                    {"type": "Polygon", "arcs": [[2]], "id": "010"},  # Antarctica: left out
                ],
            }
        },
    }
    path = tmp_path / "atlas.json"
    path.write_text(json.dumps(topology))
    triangle, fiji = worldmap.world_countries(path)
    assert (triangle.code, triangle.centre) == ("UA", (15.0, 15.0))
    corners = [worldmap.project(*p) for p in ((10, 10), (20, 10), (15, 20), (10, 10))]
    assert triangle.path == "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in corners) + "Z"
    assert fiji.code == "FJ" and fiji.centre == (178.0, 0.0)
    # Drawn twice: past 180 degrees on the right, and a turn back on the left.
    assert fiji.path.count("M") == 2
    assert fiji.path.startswith(f"M{worldmap.project(175, -5)[0]:.1f},")
    assert f"M{worldmap.project(-185, -5)[0]:.1f}," in fiji.path


def test_world_atlas_shapes_are_installed():
    countries = worldmap.world_countries()
    assert countries, f"{worldmap.ATLAS_FILE} is missing: `make venv` unpacks it"
    codes = {c.code for c in countries}
    assert {"UA", "RU", "FJ", "US", "AU"} <= codes and "AQ" not in codes
    assert len(countries) == 176


def test_article_page_names_its_story_and_anchors_every_sentence(client, web_db):
    from watchfloor.store import open_store

    store = open_store(web_db)
    try:
        story = store.stories()[0]
        article_id = story.title_article_id
        sentences = store.facts(article_id).sentences
    finally:
        store.close()
    page = client.get(f"/articles/{article_id}").text
    assert f'Story: <a href="/stories/{story.id}">' in page
    assert [f'id="s-{s.index}"' in page for s in sentences] == [True] * len(sentences) != []
