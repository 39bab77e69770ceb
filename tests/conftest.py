import gzip
import os

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import settings as hypothesis_settings

from core.processes import manage
from tests.story_database import (  # noqa: F401  (the hooks and fixtures pytest looks up here)
    pytest_collection_modifyitems,
    pytest_runtest_setup,
    pytest_xdist_make_scheduler,
    story,
    story_layer,
)

# Examples per Hypothesis test (the fuzz suite: per route), same strategies in every profile:
# 8 in `make test`; 4 in CI (.ci/run sets HYPOTHESIS_PROFILE=ci), where the fuzz tests run on
# SQLite and again on PostgreSQL, so 8 per route in all; `deep` digs.
hypothesis_settings.register_profile("dev", max_examples=8)
hypothesis_settings.register_profile("ci", max_examples=4)
hypothesis_settings.register_profile("deep", max_examples=200)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


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


class ReadingClient(Client):
    """The test client, reading French pages' non-breaking spaces (set before « : ; ! ? »
    and inside « » by newsarchive.http.typography) as plain spaces, so that tests about
    content are written with plain spaces; tests/newsarchive/test_typography.py checks the
    spaces themselves with Django's own client."""

    def request(self, **request):
        response = super().request(**request)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        packed = response.get("Content-Encoding") == "gzip"
        content = gzip.decompress(response.content) if packed else response.content
        content = (
            content.decode(response.charset or "utf-8")
            .replace("\u202f", " ")
            .replace("\u00a0«", " «")
            .replace("«\u00a0", "« ")
            .replace("\u00a0»", " »")
            .replace("\u00a0:", " :")
            .encode(response.charset or "utf-8")
        )
        response.content = gzip.compress(content, mtime=0) if packed else content
        return response


@pytest.fixture
def client():
    return ReadingClient()


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Static files collected once per test process, for the tests that serve the archive with
    gunicorn, into a folder of their own (two xdist workers never write the same files)."""
    folder = tmp_path_factory.mktemp("staticfiles")
    manage({**os.environ, "DJANGO_STATIC_ROOT": str(folder)}, "collectstatic", "--noinput", "-v0")
    return folder
