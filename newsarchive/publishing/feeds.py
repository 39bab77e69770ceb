"""Atom feeds: every event, newest first, and the same for any filter of `/events/`.

`/feeds/events.atom?actor=sam-altman` follows one person. The filters are validated by the
events list's FilterSet and read through its listing, so a feed costs what a page costs.

Each edition has its feed: `/feeds/events.atom` in French (the archive's own text), and
`/en/feeds/events.atom` in English: its titles, labels and links are the English edition's,
each event's title and summary and each actor's name in English where a translation exists
(editions), the French otherwise, as on the English pages. The feed's `xml:lang` says which.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from core.dates import day_label
from editions.pages import attach, text_of, translates
from events.listing import listing_for
from events.models import Event
from newsarchive.models import DataVersion

from .exports import EventSelection, bad_request

FEED_SIZE = 50
# An empty feed's <updated> when the archive has never changed (an empty database).
EPOCH = datetime.datetime(2023, 11, 16, tzinfo=datetime.UTC)


class ArchiveAtomFeed(Atom1Feed):
    def latest_post_date(self):
        # Django falls back to "now" for a feed without entries: the same feed would then
        # differ at every request. The archive's last change is when such a feed last changed.
        if any(item.get("updateddate") or item.get("pubdate") for item in self.items):
            return super().latest_post_date()
        _number, changed_at = DataVersion.objects.current()
        return changed_at or EPOCH


class EventsFeed(Feed):
    feed_type = ArchiveAtomFeed

    def author_name(self):
        return _("L’archive")

    def __call__(self, request, *args, **kwargs):
        selection = EventSelection(request)
        if selection.errors:
            return bad_request(selection.errors)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        # Newest first whatever `sort` says: a feed reader shows the top entries.
        params = request.GET.copy()
        params["sort"] = "desc"
        request.GET = params
        selection = EventSelection(request)
        # The actors followed and the events shown, in the feed's language (one query; none
        # in French).
        selection.entries = list(listing_for(selection.filterset, facets=False).events[:FEED_SIZE])
        attach(selection.entries, selection.filterset.form.cleaned_data.get("actor") or [])
        return selection

    def title(self, selection):
        data = selection.filterset.form.cleaned_data
        parts = [text_of(actor, "name") for actor in data.get("actor") or []]
        if data.get("day"):
            parts.append(day_label(data["day"]))
        if data.get("kind"):
            parts.append(str(Event.Kind(data["kind"]).label))
        if data.get("q"):
            parts.append(f"“{data['q']}”" if translates() else f"« {data['q']} »")
        base = _("Crise à OpenAI, 16–20 novembre 2023 : les événements")
        return f"{base} · {', '.join(parts)}" if parts else base

    def subtitle(self, selection):
        return _(
            "Chaque événement de l’archive, le plus récent d’abord, relié au passage de "
            "l’article d’où il vient."
        )

    def link(self, selection):
        # The list in the feed's language (reverse follows the language of the request).
        query = selection.query(sort=None, cursor=None)
        return f"{reverse('events:event_list')}?{query}" if query else reverse("events:event_list")

    def feed_url(self, selection):
        return selection.request.get_full_path()

    def items(self, selection):
        return selection.entries

    def item_title(self, event):
        return text_of(event, "title")

    def item_description(self, event):
        return text_of(event, "summary")

    def item_link(self, event):
        return event.get_absolute_url()

    def item_pubdate(self, event):
        return event.occurred_at

    def item_updateddate(self, event):
        return event.occurred_at

    def item_categories(self, event):
        return [text_of(p.actor, "name") for p in event.participations.all()]
