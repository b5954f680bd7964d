import pytest

from legal import selectors


@pytest.fixture(autouse=True)
def _fresh_legal_cache():
    """The date of the latest version is cached between page views: each test starts
    from the database."""
    selectors.forget_latest()
    yield
    selectors.forget_latest()
