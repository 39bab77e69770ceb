"""A generated archive has a revision history: edits and public corrections to measure
`/changes/` and the corrected pages at scale (newsarchive.generated_history)."""

import pytest
from django.core.management import call_command
from reversion.models import Revision

from events.models import Event
from newsarchive.generated_history import EVERY
from newsarchive.models import Correction

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_a_generated_archive_has_edits_and_corrections_readers_see(client):
    call_command("generate_archive", events=400, actors=30, seed=2, verbosity=0)
    edits = 400 // EVERY
    assert Revision.objects.count() == edits + 1  # and the load they start from
    assert Correction.objects.count() == edits // 2
    html = client.get("/changes/").content.decode()
    assert "Titre provisoire" in html or "Première version." in html
    assert "Correction d’essai" in html
    corrected = Correction.objects.exclude(event=None).order_by("revision_id").first()
    page = client.get(corrected.event.get_absolute_url()).content.decode()
    assert "Corrigé le" in page
    assert Event.objects.count() == 400


def test_each_generated_edit_says_what_changed(client):
    call_command("generate_archive", events=200, actors=20, seed=4, verbosity=0)
    changes = client.get("/changes.json").json()["changes"]
    assert len(changes) == 200 // EVERY
    fields = {field["field"] for change in changes for field in change["fields"]}
    assert fields <= {"title", "summary", "claim", "when"} and len(fields) >= 3
    for change in changes:
        assert change["record"]["kind"] == "event" and change["editor"] == "la rédaction"
        assert change["fields"] and all(f["before"] != f["after"] for f in change["fields"])
    languages = {c["explanation_language"] for c in changes if c["explanation"]}
    assert languages == {"fr", "en"}
