"""The home page: the story at a glance, day by day, with a timeline picture.

At any size it shows the latest days of the archive: at most HOME_DAYS, at most
EVENTS_PER_DAY events a day (with a link to the rest of that day), and as many of those days
as HOME_EVENTS events allow, so the page and its picture hold a bounded number of marks:
for the story, its five days and all 29 events; for a newsroom's archive, its latest days.
"""

import datetime
from dataclasses import dataclass, field

from django.views.generic import TemplateView

from events.models import Article, Event, FacetCount
from people.dates import story_timezone
from people.models import Actor

# The timeline picture's geometry, in SVG user units (the picture scales with the page).
LABEL_WIDTH = 150
DAY_WIDTH = 190
HEADER_HEIGHT = 40
LANE_HEIGHT = 44
MARK_RADIUS = 8
LANES = 5
KEY_ACTORS = 8
HOME_DAYS = 7
# The story's busiest day, Friday the 17th, has 14 events: all of them fit.
EVENTS_PER_DAY = 16
HOME_EVENTS = 40


@dataclass
class Day:
    date: datetime.date
    events: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self):
        return max(self.total - len(self.events), 0)


@dataclass
class Mark:
    event: Event
    x: float
    y: float


@dataclass
class Lane:
    actor: Actor | None
    y: float
    marks: list = field(default_factory=list)


def fraction_of_day(moment, precision):
    # A whole day's event sits at noon; a part of the day at its stored, representative time.
    if precision in ("day", "month", "year"):
        return 0.5
    return (moment.hour * 60 + moment.minute) / (24 * 60)


def build_days(events, totals=None):
    """Real calendar days in Pacific time (Saturday and Sunday share a heading in the
    article, not here), each with its events in time order; the days between the first and
    the last are all shown, even when nothing is recorded on one. `totals` gives each day's
    number of events when only some of them are shown."""
    by_day = {}
    for event in events:
        by_day.setdefault(event.day, []).append(event)
    if not by_day:
        return []
    first, last = min(by_day), max(by_day)
    days = []
    for n in range((last - first).days + 1):
        date = first + datetime.timedelta(days=n)
        shown = by_day.get(date, [])
        days.append(Day(date, shown, (totals or {}).get(date, len(shown))))
    return days


def build_timeline(days, lane_actors):
    """Place each event in the lane of each main actor taking part (or « others »)."""
    lanes = [
        Lane(actor, HEADER_HEIGHT + (index + 0.5) * LANE_HEIGHT)
        for index, actor in enumerate([*lane_actors, None])
    ]
    by_actor = {lane.actor.pk: lane for lane in lanes if lane.actor}
    others = lanes[-1]
    tz = story_timezone()
    for index, day in enumerate(days):
        for event in day.events:
            moment = event.occurred_at.astimezone(tz)
            x = LABEL_WIDTH + (index + fraction_of_day(moment, event.precision)) * DAY_WIDTH
            taking_part = [
                by_actor[p.actor_id] for p in event.participations.all() if p.actor_id in by_actor
            ]
            for lane in taking_part or [others]:
                lane.marks.append(Mark(event, x, lane.y))
    for lane in lanes:
        # Marks too close to the previous one step up or down so each stays clickable.
        previous_x, step = None, 0
        for mark in lane.marks:
            if previous_x is not None and mark.x - previous_x < 2 * MARK_RADIUS + 2:
                step = (step + 1) % 3
            else:
                step = 0
            mark.y = lane.y + (0, -12, 12)[step]
            previous_x = mark.x
    if not others.marks:
        lanes.pop()
    width = LABEL_WIDTH + DAY_WIDTH * max(len(days), 1)
    height = HEADER_HEIGHT + LANE_HEIGHT * len(lanes) + 10
    columns = [
        {
            "day": day,
            "x": LABEL_WIDTH + index * DAY_WIDTH,
            "middle": LABEL_WIDTH + (index + 0.5) * DAY_WIDTH,
        }
        for index, day in enumerate(days)
    ]
    return {
        "lanes": lanes,
        "columns": columns,
        "width": width,
        "height": height,
        "label_width": LABEL_WIDTH,
        "day_width": DAY_WIDTH,
        "header_height": HEADER_HEIGHT,
        "radius": MARK_RADIUS,
    }


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


class HomeView(TemplateView):
    template_name = "home.html"

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
        days = build_days(events, totals)
        context.update(
            article=Article.objects.order_by("pk").first(),
            days=days,
            event_count=FacetCount.objects.event_total(),
            key_actors=key_actors,
            timeline=build_timeline(days, key_actors[:LANES]),
        )
        return context
