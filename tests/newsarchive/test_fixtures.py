"""Seeding and dumping the story fixtures: idempotent, all or nothing, never clobbering edits."""

import json
import shutil

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command

from events.models import Event, Participation, Passage
from newsarchive.story import FIXTURE_FILES, fixture_dir
from people.models import Actor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

STORY_MODELS = [label for labels in FIXTURE_FILES.values() for label in labels]


def snapshot():
    """Every story row, as natural-key JSON, independent of primary keys."""
    rows = {}
    for label in STORY_MODELS:
        model = apps.get_model(label)
        objects = sorted(model._default_manager.all(), key=lambda obj: obj.natural_key())
        rows[label] = json.loads(
            serializers.serialize(
                "json", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True
            )
        )
    return rows


@pytest.fixture
def fixtures_copy(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(fixture_dir(), target)
    return target


def edit_record(folder, filename, model, slug, **changes):
    path = folder / filename
    records = json.loads(path.read_text(encoding="utf-8"))
    for record in records:
        if record["model"] == model and record["fields"].get("slug") == slug:
            record["fields"].update(changes)
            break
    else:
        raise AssertionError(f"{slug} not in {filename}")
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def seed(folder=None):
    args = ["seed_story", "--verbosity", "0"]
    if folder:
        args += ["--dir", str(folder)]
    call_command(*args)


def test_seeding_loads_the_whole_story():
    seed()
    assert Passage.objects.count() == 39
    assert Event.objects.exists() and Participation.objects.exists()
    assert Actor.objects.get(slug="sam-altman").name == "Sam Altman"


def test_seeding_twice_changes_nothing(story):
    before = snapshot()
    seed()
    assert snapshot() == before


def test_seeding_again_keeps_every_edit_rename_and_deletion(story, capsys):
    edited, renamed, deleted = list(Event.objects.order_by("slug")[:3])
    edited.title = "Titre corrigé par la rédaction"
    edited.save()
    renamed.slug = "slug-choisi-par-la-redaction"
    renamed.save()
    deleted.delete()
    count = Event.objects.count()

    call_command("seed_story")

    assert "nothing loaded" in capsys.readouterr().out
    assert Event.objects.count() == count
    edited.refresh_from_db()
    assert edited.title == "Titre corrigé par la rédaction"
    assert not Event.objects.filter(slug=deleted.slug).exists()
    assert Event.objects.filter(title=renamed.title).count() == 1


def test_adding_missing_records_keeps_what_the_database_has(story, fixtures_copy, capsys):
    event = Event.objects.order_by("slug").first()
    event.title = "Titre corrigé par la rédaction"
    event.save()
    records = json.loads((fixtures_copy / "actors.json").read_text(encoding="utf-8"))
    records.append(
        {
            "model": "people.actor",
            "fields": {"name": "Nouvel acteur", "slug": "nouvel-acteur", "kind": "person"},
        }
    )
    (fixtures_copy / "actors.json").write_text(json.dumps(records), encoding="utf-8")

    call_command("seed_story", "--add-missing", "--dir", str(fixtures_copy))

    assert Actor.objects.filter(slug="nouvel-acteur").exists()
    event.refresh_from_db()
    assert event.title == "Titre corrigé par la rédaction"
    assert "1 added" in capsys.readouterr().out


@pytest.mark.parametrize(
    "filename, model, slug, changes, expected",
    [
        (
            "events.json",
            "events.event",
            None,
            {"title": ""},
            "title",
        ),
        (
            "events.json",
            "events.event",
            None,
            {"occurred_at": "2023-11-31T12:00:00-08:00"},
            "2023-11-31",
        ),
        (
            "events.json",
            "events.event",
            None,
            {"passages": [["que-se-passe-t-il-avec-openai-et-sam-altman", 999]]},
            "999",
        ),
        ("events.json", "events.event", None, {"kind": "party"}, "kind"),
        ("actors.json", "people.actor", "sam-altman", {"kind": "robot"}, "kind"),
    ],
    ids=["missing-title", "impossible-date", "dangling-passage", "unknown-kind", "bad-actor"],
)
def test_a_bad_fixture_is_rejected_naming_the_record_and_writes_nothing(
    fixtures_copy, filename, model, slug, changes, expected
):
    if slug is None:
        records = json.loads((fixtures_copy / filename).read_text(encoding="utf-8"))
        slug = next(r["fields"]["slug"] for r in records if r["model"] == model)
    edit_record(fixtures_copy, filename, model, slug, **changes)
    with pytest.raises(CommandError) as error:
        seed(fixtures_copy)
    message = str(error.value)
    assert filename in message and "record" in message and expected in message
    assert "Nothing was loaded" in message
    assert not Actor.objects.exists() and not Passage.objects.exists()


def test_a_dangling_actor_slug_is_rejected(fixtures_copy):
    path = fixtures_copy / "events.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    participation = next(r for r in records if r["model"] == "events.participation")
    participation["fields"]["actor"] = ["personne-inconnue"]
    path.write_text(json.dumps(records), encoding="utf-8")
    with pytest.raises(CommandError, match=r"events\.json: record \d+.*personne-inconnue"):
        seed(fixtures_copy)
    assert not Event.objects.exists()


def test_a_record_without_its_model_is_rejected(fixtures_copy):
    path = fixtures_copy / "quotes.json"
    path.write_text(json.dumps([{"fields": {"slug": "x"}}]), encoding="utf-8")
    with pytest.raises(CommandError, match=r"quotes\.json: record 1"):
        seed(fixtures_copy)
    assert not Event.objects.exists()


def test_dump_then_load_into_an_empty_database_reproduces_it(story, tmp_path):
    event = Event.objects.order_by("slug").first()
    event.summary = "Résumé réécrit par un éditeur."
    event.save()
    before = snapshot()
    call_command("dump_story", "--dir", str(tmp_path), verbosity=0)
    Actor.objects.update(parent=None)  # the one self-reference, protected on delete
    for label in reversed(STORY_MODELS):
        apps.get_model(label)._default_manager.all().delete()
    assert not Event.objects.exists()
    seed(tmp_path)
    assert snapshot() == before
    # And the dump of the reloaded database is byte for byte the same files.
    again = tmp_path / "again"
    call_command("dump_story", "--dir", str(again), verbosity=0)
    for name in FIXTURE_FILES:
        assert (again / name).read_text() == (tmp_path / name).read_text(), name


def test_dumping_the_shipped_story_gives_back_the_shipped_files(story, tmp_path):
    # So `make dump` after an editing session shows only what the editors changed.
    call_command("dump_story", "--dir", str(tmp_path), verbosity=0)
    for name in FIXTURE_FILES:
        shipped = (fixture_dir() / name).read_text(encoding="utf-8")
        assert (tmp_path / name).read_text(encoding="utf-8") == shipped, name


def write_records(folder, filename, records):
    (folder / filename).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def seed_error(folder):
    with pytest.raises(CommandError) as error:
        seed(folder)
    return str(error.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            '[{"model": "people.role", "fields": {"slug": "x",}}]',
            "roles.json: record 1: not valid JSON (line 1, column 50): Expecting property name",
        ),
        (
            '[\n  {"model": "people.role", "fields": {}},\n'
            '  {"model": "people.role" "fields": {}}\n]',
            "roles.json: record 2: not valid JSON (line 3, column 27): Expecting ',' delimiter",
        ),
        ("", "roles.json: not valid JSON (line 1, column 1): Expecting value"),
        ('{"model": "people.role"}', "roles.json: not a list of records but a JSON dict"),
        ("[1]", "roles.json: record 1: not an object with a model and fields but a JSON int"),
        ('[{"model": "people.role"}]', "roles.json: record 1: no 'fields' key"),
    ],
    ids=["trailing-comma", "missing-comma", "empty", "not-a-list", "not-an-object", "no-fields"],
)
def test_a_file_that_is_not_a_list_of_records_is_rejected_saying_where_and_why(
    fixtures_copy, text, expected
):
    (fixtures_copy / "roles.json").write_text(text, encoding="utf-8")

    message = seed_error(fixtures_copy)

    assert expected in message
    assert not Actor.objects.exists()


def test_a_record_naming_an_unknown_model_says_so(fixtures_copy):
    write_records(fixtures_copy, "quotes.json", [{"model": "events.rumour", "fields": {}}])

    message = seed_error(fixtures_copy)

    assert "quotes.json: record 1: Invalid model identifier: events.rumour" in message


def test_a_file_that_is_not_utf8_is_rejected_naming_it(fixtures_copy):
    (fixtures_copy / "sources.json").write_bytes(b'[{"model": "events.source", "fields": "\xe9"}]')

    assert "sources.json: not UTF-8 text" in seed_error(fixtures_copy)


def test_a_duplicate_actor_slug_is_reported_in_the_actors_file(fixtures_copy):
    records = json.loads((fixtures_copy / "actors.json").read_text(encoding="utf-8"))
    actors = [r for r in records if r["model"] == "people.actor"]
    first, later = actors[0], actors[5]
    later["fields"]["slug"] = first["fields"]["slug"]
    write_records(fixtures_copy, "actors.json", records)
    number = records.index(later) + 1

    message = seed_error(fixtures_copy)

    assert (
        f"actors.json: record {number} (people.actor ['{first['fields']['slug']}']): "
        f"duplicate of record {records.index(first) + 1} of actors.json"
    ) in message
    assert "events.json" not in message
    assert not Actor.objects.exists()


def test_a_duplicate_of_a_record_already_in_the_database_is_reported_too(story, fixtures_copy):
    records = json.loads((fixtures_copy / "actors.json").read_text(encoding="utf-8"))
    sam = next(r for r in records if r["fields"].get("slug") == "sam-altman")
    records.append(json.loads(json.dumps(sam)))
    write_records(fixtures_copy, "actors.json", records)

    with pytest.raises(CommandError, match=rf"actors\.json: record {len(records)} .*duplicate"):
        call_command("seed_story", "--add-missing", "--dir", str(fixtures_copy), verbosity=0)


def test_dump_says_where_it_wrote(story, tmp_path, capsys):
    target = tmp_path / "revue"

    call_command("dump_story", "--dir", str(target))

    out = capsys.readouterr().out
    assert f"Story written to {target}." in out
    assert (target / "events.json").exists()
