from django.db import migrations, models

from core import derived

COPY = """UPDATE events_participation SET
    occurred_at = (SELECT e.occurred_at FROM events_event e WHERE e.id = event_id),
    event_slug = (SELECT e.slug FROM events_event e WHERE e.id = event_id),
    kind = (SELECT e.kind FROM events_event e WHERE e.id = event_id),
    day = (SELECT e.day FROM events_event e WHERE e.id = event_id)"""


# The counts as they were at this migration (events.counts.REBUILD_SQL has since grown a
# claim facet, whose columns do not exist yet here): a migration never imports live code.
REBUILD_SQL = [
    "DELETE FROM events_facetcount",
    """INSERT INTO events_facetcount (actor_id, facet, value, other_id, count)
       SELECT NULL, 'kind', kind, NULL, COUNT(*) FROM events_event GROUP BY kind""",
    """INSERT INTO events_facetcount (actor_id, facet, value, other_id, count)
       SELECT NULL, 'day', CAST(day AS text), NULL, COUNT(*) FROM events_event GROUP BY day""",
    """INSERT INTO events_facetcount (actor_id, facet, value, other_id, count)
       SELECT actor_id, 'kind', kind, NULL, COUNT(*) FROM events_participation
       GROUP BY actor_id, kind""",
    """INSERT INTO events_facetcount (actor_id, facet, value, other_id, count)
       SELECT actor_id, 'day', CAST(day AS text), NULL, COUNT(*) FROM events_participation
       GROUP BY actor_id, day""",
    """INSERT INTO events_facetcount (actor_id, facet, value, other_id, count)
       SELECT p.actor_id, 'actor', '', q.actor_id, COUNT(*)
       FROM events_participation p
       JOIN events_participation q ON q.event_id = p.event_id AND q.actor_id <> p.actor_id
       GROUP BY p.actor_id, q.actor_id""",
    """UPDATE people_actor SET event_count = (
         SELECT COUNT(*) FROM events_participation p WHERE p.actor_id = people_actor.id)""",
]


def copy_and_count(apps, schema_editor):
    for sql in [COPY, *REBUILD_SQL]:
        schema_editor.execute(sql)


FIELDS = {
    "occurred_at": lambda null: derived.DerivedDateTimeField(
        derive="derive_occurred_at", null=null
    ),
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
