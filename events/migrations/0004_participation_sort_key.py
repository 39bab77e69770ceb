from django.db import migrations, models

from people import derived

COPY = """UPDATE events_participation SET
    occurred_at = (SELECT e.occurred_at FROM events_event e WHERE e.id = event_id),
    event_slug = (SELECT e.slug FROM events_event e WHERE e.id = event_id),
    kind = (SELECT e.kind FROM events_event e WHERE e.id = event_id),
    day = (SELECT e.day FROM events_event e WHERE e.id = event_id)"""


def copy_and_count(apps, schema_editor):
    from events.counts import REBUILD_SQL

    for sql in [COPY, *REBUILD_SQL]:
        schema_editor.execute(sql)


FIELDS = {
    "occurred_at": lambda null: derived.DerivedDateTimeField(derive="derive_occurred_at", null=null),
    "event_slug": lambda null: derived.DerivedSlugField(
        derive="derive_event_slug", max_length=200, null=null
    ),
    "kind": lambda null: derived.DerivedCharField(derive="derive_kind", max_length=20, null=null),
    "day": lambda null: derived.DerivedDateField(derive="derive_day", null=null),
}


class Migration(migrations.Migration):
    dependencies = [("events", "0003_stored_day_search_index_facet_counts")]

    operations = [
        *[
            migrations.AddField(model_name="participation", name=name, field=field(True))
            for name, field in FIELDS.items()
        ],
        migrations.RunPython(copy_and_count, migrations.RunPython.noop),
        *[
            migrations.AlterField(model_name="participation", name=name, field=field(False))
            for name, field in FIELDS.items()
        ],
        migrations.AddIndex(
            model_name="participation",
            index=models.Index(
                fields=["actor", "occurred_at", "event_slug"], name="participation_time_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="participation",
            index=models.Index(
                fields=["actor", "kind", "occurred_at", "event_slug"],
                name="participation_kind_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="participation",
            index=models.Index(
                fields=["actor", "day", "occurred_at", "event_slug"],
                name="participation_day_idx",
            ),
        ),
    ]
