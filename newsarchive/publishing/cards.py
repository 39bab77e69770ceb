"""The share card (`/card.png`, Open Graph and Twitter image) and `/favicon.ico`, drawn from
the archive's data with Pillow: the story's days as bars of their event counts, its most
involved actors by name. Never a stock picture; redrawn when the data changes (the page
cache keys every response on the data version).
"""

import datetime
import functools
import io
from pathlib import Path

from django.http import HttpResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from core.dates import day_label
from events.models import FacetCount
from people.models import Actor

WIDTH, HEIGHT = 1200, 630
INK, PAPER, ACCENT, MUTED = "#1b1f23", "#fffdf8", "#8a2b0e", "#c9c2b6"
CARD_DAYS = 7
CARD_ACTORS = 5


# DejaVu Sans, shipped with the code (its licence beside it): Pillow's built-in font lacks
# « à » and « – », and a fresh machine may have no system fonts at all.
FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans.ttf"


@functools.lru_cache(maxsize=8)
def font(size):
    return ImageFont.truetype(FONT, size=size)


def fitted(names, size, width):
    """As many of `names` as fit on one line of `width` pixels, joined by « · »."""
    shown = []
    for name in names:
        if font(size).getlength(" · ".join([*shown, name])) > width:
            break
        shown.append(name)
    return " · ".join(shown)


def card_data():
    """The latest days with their counts and the most involved actors: two index reads."""
    days = list(
        FacetCount.objects.filter(actor__isnull=True, facet=FacetCount.Facet.DAY)
        .order_by("-value")
        .values_list("value", "count")[:CARD_DAYS]
    )
    actors = list(Actor.objects.most_involved().values_list("name", flat=True)[:CARD_ACTORS])
    return sorted(days), actors


def draw_card(days, actors):
    image = Image.new("RGB", (WIDTH, HEIGHT), INK)
    draw = ImageDraw.Draw(image)
    draw.text((60, 50), _("L’archive"), fill=MUTED, font=font(34))
    draw.text((60, 100), _("Crise à OpenAI"), fill=PAPER, font=font(78))
    draw.text((60, 195), _("16–20 novembre 2023"), fill=PAPER, font=font(44))
    # The days as bars, scaled to the busiest one.
    top, bottom, left, right = 290, 520, 60, WIDTH - 60
    if days:
        busiest = max(count for _value, count in days)
        slot = (right - left) / len(days)
        for index, (value, count) in enumerate(days):
            x = left + index * slot
            height = max(6, (bottom - top - 40) * count / busiest)
            draw.rectangle((x + 10, bottom - height, x + slot - 10, bottom), fill=ACCENT)
            draw.text((x + 12, bottom - height - 34), str(count), fill=PAPER, font=font(26))
            label = day_label(datetime.date.fromisoformat(value), with_year=False)
            draw.text((x + 12, bottom + 10), label.split(" ")[0], fill=MUTED, font=font(24))
    if actors:
        draw.text((60, 575), fitted(actors, 28, WIDTH - 120), fill=PAPER, font=font(28))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def card_png(request):
    return HttpResponse(draw_card(*card_data()), content_type="image/png")


@functools.lru_cache(maxsize=1)
def favicon_bytes():
    """The mark of static/favicon.svg (a disc on a line), as an ICO at the usual sizes."""
    size = 64
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=12, fill=INK)
    draw.ellipse((18, 18, 46, 46), fill=ACCENT)
    draw.rectangle((8, 30, 56, 33), fill=PAPER)
    buffer = io.BytesIO()
    image.save(buffer, format="ICO", sizes=[(16, 16), (32, 32), (48, 48), (64, 64)])
    return buffer.getvalue()


def favicon_ico(request):
    return HttpResponse(favicon_bytes(), content_type="image/x-icon")
