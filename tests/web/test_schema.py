"""Schemathesis against the app's own OpenAPI schema: generated requests to every read
endpoint never get a server error and always get the status, content type and body the schema
documents. Bounded to a few examples per endpoint so the suite stays fast."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from watchfloor.config import Settings
from watchfloor.web.app import create_app

CHECKS = {
    # 400 is how the API refuses a request it can read but not serve: a theatre that is no
    # country, a search with no words. A schema cannot say which strings name a country.
    "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404"]},
    # Starlette answers a method a path lacks with the Allow header of one of the path's routes
    # only (GET or POST): the framework's behaviour, not this API's.
    "allow_header_conformance": {"enabled": False},
}

# The schema is read when tests are collected, before the demo store exists; the app opens
# the store of its settings per request, so the fixture below points it at the demo store.
app = create_app(Settings())
schema = schemathesis.openapi.from_asgi(
    "/api/openapi.json",
    app,
    # The coverage phase sends every boundary of every parameter: too slow for each run.
    config=SchemathesisConfig.from_dict(
        {"checks": CHECKS, "phases": {"coverage": {"enabled": False}}}
    ),
).include(method="GET")


@pytest.fixture(autouse=True)
def demo_store_served(web_settings):
    app.state.settings = web_settings


@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,  # the same requests every run: a failure always reproduces
    suppress_health_check=list(HealthCheck),
)
def test_read_endpoints_keep_to_their_schema(case):
    case.call_and_validate()
