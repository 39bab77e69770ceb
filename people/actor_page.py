"""What an actor's page shows, read once for its HTML page and its JSON alike: roles (at a
moment, if asked), events, quotes and the actors seen most often beside it, each a bounded,
indexed slice whatever the size of the archive.

Events and quotes are read through the reverse relations `events` declares, named as strings,
so this app still imports nothing from `events`.
"""

from functools import cached_property

from django.db.models import Prefetch

from core.models import related

from .models import Role

# What an actor page shows at most, whatever the size of the archive; the events list
# (linked from the page) pages through the rest.
COMPANIONS_SHOWN = 8
EVENTS_SHOWN = 25
QUOTES_SHOWN = 20
ROLES_SHOWN = 50


class ActorPage:
    def __init__(self, actor, moment=None):
        self.actor = actor
        self.moment = moment

    @cached_property
    def _roles(self):
        if self.actor.is_person:
            roles = Role.objects.of_person(self.actor)
        else:
            roles = Role.objects.in_organisation(self.actor).leading_first()
        if self.moment is not None:
            roles = roles.in_force_at(self.moment)
        return list(roles[: ROLES_SHOWN + 1])

    @property
    def roles(self):
        return self._roles[:ROLES_SHOWN]

    @property
    def more_roles(self):
        return len(self._roles) > ROLES_SHOWN

    @cached_property
    def participations(self):
        # With who each event's claim rests on, for the badge by its title.
        return list(
            self.actor.participations.select_related("event", "event__claimed_by").order_by(
                "occurred_at", "event_slug"
            )[:EVENTS_SHOWN]
        )

    @cached_property
    def _quotes(self):
        # With what each quote shows: its speaker, source and the article's paragraphs.
        return list(
            self.actor.quotes.select_related(
                "speaker", "event", "source", "source__outlet", "source__author"
            )
            .prefetch_related(
                Prefetch(
                    "passages",
                    queryset=related(self.actor.quotes.model, "passages").objects.for_links(),
                )
            )
            .order_by("event__occurred_at", "pk")[: QUOTES_SHOWN + 1]
        )

    @property
    def quotes(self):
        return self._quotes[:QUOTES_SHOWN]

    @property
    def more_quotes(self):
        return len(self._quotes) > QUOTES_SHOWN

    @cached_property
    def companions(self):
        companions = []
        for cell in (
            self.actor.facet_counts.filter(facet="actor")
            .select_related("other")
            .order_by("-count", "other__name")[:COMPANIONS_SHOWN]
        ):
            cell.other.shared_events = cell.count
            companions.append(cell.other)
        return companions
