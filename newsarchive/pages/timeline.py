"""The home page's timeline picture: the shown days as strips, one lane per key actor, every
event a mark shaped by its kind, laid out in Python so that no mark overlaps another."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext

from core.dates import story_timezone
from editions.pages import text_of

# Two drawings of the same days, laid out here so that no mark can overlap another: every
# mark (and its touch target) takes an interval of its lane, and marks whose intervals meet
# go on separate rows of that lane. The drawing scales as one piece, so what does not overlap
# in its coordinates overlaps at no width. Wide screens see day strips with the lane names in
# a column; phones see the same strips, narrower, with each lane's name above its rows.
WIDE = {"width": 1100, "label": 250, "head": 40, "lane_title": 0, "pad": 14}
NARROW = {"width": 330, "label": 0, "head": 48, "lane_title": 18, "pad": 10}
ROW_HEIGHT = 26
MARK_RADIUS = 8
# Half the width a mark takes in its lane: the visible shape plus a margin, so a finger's
# target (24 px at a phone's scale) never covers a neighbour.
MARK_REACH = 12
SPAN_HEIGHT = 12
TICK_HOURS = (0, 6, 12, 18, 24)
# Where a part of the day lies, in hours (a night before noon is the small hours).
PARTS = {"morning": (6, 12), "afternoon": (12, 18), "evening": (18, 24)}
# The kind's shape, so that kinds differ by more than colour.
SHAPES = {
    "firing": "square",
    "demotion": "square",
    "resignation": "triangle",
    "appointment": "diamond",
    "hire": "diamond",
    "message": "circle",
    "meeting": "circle",
}


@dataclass
class Day:
    date: datetime.date
    events: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self):
        return max(self.total - len(self.events), 0)


def hours_covered(moment, precision):
    """The hours of its day an event is drawn over: (h, h) for a moment, a range for a part
    of the day or the whole day (a day's event is not a point at noon)."""
    if precision in ("minute", "hour"):
        hour = moment.hour + moment.minute / 60
        return hour, hour
    if precision in PARTS:
        return PARTS[precision]
    if precision == "night":
        return (20, 24) if moment.hour >= 12 else (0, 6)
    return 0, 24


def shape_path(shape, x, y, r=MARK_RADIUS):
    if shape == "square":
        s = r * 0.85
        return f"M{x - s:.1f} {y - s:.1f}h{2 * s:.1f}v{2 * s:.1f}h{-2 * s:.1f}Z"
    if shape == "triangle":
        return f"M{x - r:.1f} {y - r * 0.8:.1f}h{2 * r:.1f}L{x:.1f} {y + r:.1f}Z"
    if shape == "diamond":
        return f"M{x:.1f} {y - r:.1f}L{x + r:.1f} {y:.1f}L{x:.1f} {y + r:.1f}L{x - r:.1f} {y:.1f}Z"
    if shape == "circle":
        return f"M{x - r:.1f} {y:.1f}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0Z"
    # Any other kind: a hexagon.
    h = r * 0.87
    return (
        f"M{x - r:.1f} {y:.1f}L{x - r / 2:.1f} {y - h:.1f}h{r:.1f}L{x + r:.1f} {y:.1f}"
        f"L{x + r / 2:.1f} {y + h:.1f}h{-r:.1f}Z"
    )


def wrap(text, width):
    """A lane's full name on as many lines as it needs (never cut)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def pack(items):
    """Give each (start, end, payload) the first row where it meets nothing; rows in order."""
    ends = []
    placed = []
    for start, end, payload in sorted(items, key=lambda item: (item[0], item[1])):
        for row, last_end in enumerate(ends):
            if start > last_end:
                ends[row] = end
                break
        else:
            row = len(ends)
            ends.append(end)
        placed.append((row, start, end, payload))
    return placed, max(len(ends), 1)


def lanes_of(days, lane_actors):
    """For each day, {lane index: [events]}: an event sits in the lane of each main actor
    taking part, or in « others »."""
    index = {actor.pk: n for n, actor in enumerate(lane_actors)}
    others = len(lane_actors)
    per_day = []
    for day in days:
        lanes = {}
        for event in day.events:
            taking_part = sorted(
                {index[p.actor_id] for p in event.participations.all() if p.actor_id in index}
            )
            for lane in taking_part or [others]:
                lanes.setdefault(lane, []).append(event)
        per_day.append(lanes)
    return per_day


def draw(days, lane_actors, per_day, geometry):
    """Coordinates of one drawing: day strips stacked, lanes (only those with events that
    day) stacked in each strip, hour ticks across."""
    tz = story_timezone()
    width, label, pad = geometry["width"], geometry["label"], geometry["pad"]
    axis_start, axis_end = label + pad, width - pad
    scale = (axis_end - axis_start) / 24
    strips, y = [], 0
    for day, lanes in zip(days, per_day, strict=True):
        strip = {"day": day, "y": y, "heading_y": y + 20, "lanes": []}
        strip["ticks"] = [{"hour": hour, "x": axis_start + hour * scale} for hour in TICK_HOURS]
        strip["tick_label_y"] = y + geometry["head"] - 8
        strip["tick_top"] = y + geometry["head"] - 4
        y += geometry["head"]
        lanes_top = y
        for lane_index in sorted(lanes):
            actor = lane_actors[lane_index] if lane_index < len(lane_actors) else None
            items = []
            for event in lanes[lane_index]:
                first, last = hours_covered(event.occurred_at.astimezone(tz), event.precision)
                x0, x1 = axis_start + first * scale, axis_start + last * scale
                if x1 - x0 < 2 * MARK_REACH:  # a moment, or a span too short to see
                    middle = min(max((x0 + x1) / 2, MARK_REACH), width - MARK_REACH)
                    x0, x1 = middle - MARK_REACH, middle + MARK_REACH
                items.append((x0, x1, event))
            placed, rows = pack(items)
            name = text_of(actor, "name") if actor else gettext("Autres")
            # Wide: the name in the left column; narrow: the name on its own lines above.
            lines = wrap(name, 44 if geometry["lane_title"] else 30)
            top = y + geometry["lane_title"] * len(lines)
            lane = {"actor": actor, "y": y, "lines": lines, "marks": []}
            for row, x0, x1, event in placed:
                cy = top + (row + 0.5) * ROW_HEIGHT
                span = x1 - x0 > 2 * MARK_REACH + 0.5
                shape_x = x0 + MARK_REACH if span else (x0 + x1) / 2
                lane["marks"].append(
                    {
                        "event": event,
                        "path": shape_path(SHAPES.get(event.kind, "other"), shape_x, cy),
                        "span": {
                            "x": round(x0 + 2, 1),
                            "y": cy - SPAN_HEIGHT / 2,
                            "width": round(x1 - x0 - 4, 1),
                        }
                        if span
                        else None,
                        # An invisible touch target, within the mark's own interval and row.
                        "hit": {
                            "x": round(x0 + 1, 1),
                            "y": cy - ROW_HEIGHT / 2 + 1,
                            "width": round(x1 - x0 - 2, 1),
                            "height": ROW_HEIGHT - 2,
                        },
                    }
                )
            body = rows * ROW_HEIGHT
            if not geometry["lane_title"]:
                body = max(body, len(lines) * 16 + 10)
            lane["height"] = top - y + body
            lane["rule_y"] = y + lane["height"]
            lane["label_y"] = y + 17
            lane["title_y"] = y + 13
            strip["lanes"].append(lane)
            y += lane["height"]
        if not lanes:
            y += ROW_HEIGHT
        strip["lanes_top"] = lanes_top
        strip["bottom"] = y
        strip["empty_y"] = y - 8
        strip["height"] = y - strip["y"]
        strips.append(strip)
        y += 6
    return {
        **geometry,
        "strips": strips,
        "height": y,
        "axis_start": axis_start,
        "axis_end": axis_end,
        "radius": MARK_RADIUS,
    }


def build_timeline(days, lane_actors):
    per_day = lanes_of(days, lane_actors)
    return {
        "wide": draw(days, lane_actors, per_day, WIDE),
        "narrow": draw(days, lane_actors, per_day, NARROW),
        "legend": [
            {"shape": shape, "path": shape_path(shape, 9, 9, 7), "kind": kind}
            for shape, kind in (
                ("square", "firing"),
                ("triangle", "resignation"),
                ("diamond", "hire"),
                ("circle", "message"),
                ("other", "other"),
            )
        ],
    }


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
