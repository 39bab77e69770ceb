import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture
def story(db):
    """The shipped story fixtures, seeded as `make run` seeds them."""
    call_command("seed_story", verbosity=0)


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Tests render pages without running collectstatic, so no hashed-name manifest exists.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def empty_page_cache():
    # Each test's database starts from the same data version: pages cached by an earlier
    # test must not answer for this one (in production versions only move forward).
    cache.clear()
    yield
    cache.clear()
