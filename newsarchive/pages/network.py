"""`/network/`: who appears with whom, as a picture and as a table.

Served from the counts kept on every write (events.counts: one FacetCount row per ordered
pair of actors with their number of shared events), never from the events themselves: the
page reads the NODES most involved actors and the pair counts among them, two indexed
queries whatever the size of the archive. The picture is an SVG drawn here, with no script:
the actors on a circle, the most involved first, each a link to its page, and a line for each
pair that shares events, thicker as they share more.
"""

from django.views.generic import TemplateView

from editions.pages import attach, text_of
from events.models import FacetCount
from newsarchive.pages.timeline import wrap
from people.models import Actor

NODES = 20
# The table and the picture show the strongest pairs first, at most this many.
PAIRS_SHOWN = 60
# An arc diagram: the actors down a line, most involved first, each name beside its node, and
# each pair that shares events joined by an arc on the other side, thicker as they share more.
# It reads at a phone's width (names are never squeezed) as on a wide screen.
WIDTH = 360
AXIS_X = 130
TOP = 24
ROW = 38
NODE_RADIUS = 7
MAX_STROKE = 9
LABEL_CHARS = 21
LINE_HEIGHT = 18


def layout(actors):
    nodes = []
    for index, actor in enumerate(actors):
        y = TOP + index * ROW
        lines = wrap(text_of(actor, "name"), LABEL_CHARS)
        nodes.append(
            {
                "actor": actor,
                "x": AXIS_X,
                "y": y,
                "label_x": AXIS_X + NODE_RADIUS + 8,
                # One line sits on the node; two straddle it.
                "label_y": y + 5 - (len(lines) - 1) * LINE_HEIGHT / 2,
                "lines": lines,
            }
        )
    return nodes


def arc(a, b):
    """A half-ellipse left of the axis from node a down to node b."""
    top, bottom = sorted((a["y"], b["y"]))
    half = (bottom - top) / 2
    reach = min(AXIS_X - 12, 10 + half * 0.9)
    return f"M{AXIS_X} {top}A{reach:.1f} {half:.1f} 0 0 0 {AXIS_X} {bottom}"


def network():
    actors = list(Actor.objects.most_involved()[:NODES])
    # English pages: organisation names the article gives in French, in English (one query).
    attach(actors)
    by_pk = {actor.pk: n for n, actor in enumerate(actors)}
    cells = (
        FacetCount.objects.filter(
            facet=FacetCount.Facet.ACTOR, actor__in=list(by_pk), other__in=list(by_pk)
        )
        .order_by("-count", "actor_id", "other_id")
        .values_list("actor_id", "other_id", "count")
    )
    pairs, seen = [], set()
    # Each pair is kept twice (a→b and b→a); one is enough.
    for actor_id, other_id, count in cells:
        key = frozenset((actor_id, other_id))
        if key in seen:
            continue
        seen.add(key)
        pairs.append((by_pk[actor_id], by_pk[other_id], count))
        if len(pairs) >= PAIRS_SHOWN:
            break
    nodes = layout(actors)
    strongest = max((count for _, _, count in pairs), default=1)
    edges = [
        {
            "a": nodes[a],
            "b": nodes[b],
            "path": arc(nodes[a], nodes[b]),
            "count": count,
            "width": round(1 + (MAX_STROKE - 1) * count / strongest, 1),
        }
        for a, b, count in pairs
    ]
    # The weakest first, so the strongest lines are drawn on top.
    edges.reverse()
    height = TOP + max(len(nodes) - 1, 0) * ROW + TOP
    return {
        "nodes": nodes,
        "edges": edges,
        "pairs": list(reversed(edges)),
        "width": WIDTH,
        "height": height,
        "radius": NODE_RADIUS,
    }


class NetworkView(TemplateView):
    template_name = "newsarchive/network.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(network=network(), nodes_shown=NODES)
        return context
