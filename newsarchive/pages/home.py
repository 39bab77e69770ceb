"""The home page: the story at a glance, day by day, with a timeline picture.

At any size it shows the latest days of the archive: at most HOME_DAYS, at most
EVENTS_PER_DAY events a day (with a link to the rest of that day), and as many of those days
as HOME_EVENTS events allow, so the page and its picture hold a bounded number of marks:
for the story, its five days and all its events; for a newsroom's archive, its latest days.
"""

import datetime

from django.views.generic import TemplateView

from core.surrogates import ShowsRecordsMixin
from editions.pages import attach
from events.models import Article, Event, FacetCount
from people.models import Actor

from .timeline import build_days, build_timeline

KEY_ACTORS = 8
LANES = 5
HOME_DAYS = 7
# The story's busiest day, Friday the 17th, has 14 events: all of them fit.
EVENTS_PER_DAY = 16
HOME_EVENTS = 40


def first_day_shown(last_day, totals):
    """Going back from the last day, the earliest day whose events still fit in HOME_EVENTS
    (the last day is always shown)."""
    first, shown = last_day, 0
    for back in range(HOME_DAYS):
        day = last_day - datetime.timedelta(days=back)
        shown += min(totals.get(day, 0), EVENTS_PER_DAY)
        if shown > HOME_EVENTS and back:
            break
        first = day
    return first


class HomeView(ShowsRecordsMixin, TemplateView):
    template_name = "newsarchive/home.html"
    shows_records = (Event,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        last_day = Event.objects.latest_day()
        events, totals = [], {}
        if last_day is not None:
            totals = FacetCount.objects.day_totals(
                last_day - datetime.timedelta(days=HOME_DAYS - 1), last_day
            )
            first_day = first_day_shown(last_day, totals)
            events = list(Event.objects.for_home(first_day, last_day, EVENTS_PER_DAY))
        key_actors = list(Actor.objects.most_involved()[:KEY_ACTORS])
        # Translated here, not declared for editions.middleware: the timeline lays the
        # English titles and names out in Python before any template renders.
        attach(events, key_actors)
        # The first source document, and how many there are, in one query.
        article = Article.objects.first_with_total()
        days = build_days(events, totals)
        context.update(
            article=article,
            source_count=article.total if article else 0,
            days=days,
            event_count=FacetCount.objects.event_total(),
            key_actors=key_actors,
            timeline=build_timeline(days, key_actors[:LANES]),
        )
        return context
