from tests.brief.conftest import sample_store  # noqa: F401  (the fixture, shared)
