"""Static files as `make run` serves them: hashed names from the manifest, the manifest itself
kept private."""

import gzip

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client

MANIFEST = "/static/staticfiles.json"


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    root = settings.STATIC_ROOT
    # Whitenoise compresses the files, not the manifest; a deploy's own pass might.
    manifest = (root / "staticfiles.json").read_bytes()
    (root / "staticfiles.json.gz").write_bytes(gzip.compress(manifest))
    (root / "staticfiles.json.br").write_bytes(manifest)
    return root


@pytest.mark.parametrize("autorefresh", [False, True], ids=["listed-at-start", "autorefresh"])
@pytest.mark.parametrize("suffix", ["", ".gz", ".br"])
def test_the_manifest_is_not_served(collected, settings, autorefresh, suffix):
    settings.WHITENOISE_AUTOREFRESH = autorefresh

    response = Client().get(MANIFEST + suffix, headers={"accept-encoding": "gzip, br"})

    assert response.status_code == 404


@pytest.mark.django_db
def test_pages_link_hashed_files_read_from_the_manifest_and_those_are_served(collected):
    client = Client()
    hashed = staticfiles_storage.url("css/site.css")
    assert hashed != "/static/css/site.css"  # the storage read the manifest

    page = client.get("/")
    asset = client.get(hashed)

    assert f'href="{hashed}"' in page.content.decode()
    assert asset.status_code == 200
    assert b"".join(asset.streaming_content).startswith(
        (collected / "css" / "site.css").read_bytes()[:20]
    )
