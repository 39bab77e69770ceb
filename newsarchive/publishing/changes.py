"""`/changes.json` and `/feeds/changes.atom`: the changes of `/changes/` as data and as a feed
(newsarchive.history), with the same `?event=` / `?actor=` and, for the JSON, `?page=`.

The editor is always « la rédaction »: names are never published.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.core.paginator import InvalidPage, Paginator
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ..history import changes_for, published_revisions, record_asked
from .exports import bad_request, json_response
from .feeds import ArchiveAtomFeed

PAGE_SIZE = 20
FEED_SIZE = 50
EDITOR = "la rédaction"


@dataclass
class Selection:
    record: object
    request: object


def anchor(change):
    return f"{reverse('changes')}#change-{change.revision.pk}"


def change_data(request, change):
    return {
        "id": change.revision.pk,
        "at": change.at.isoformat(),
        "kind": change.kind,
        "kind_label": change.kind_label,
        "editor": EDITOR,
        "record": {
            "kind": change.record_kind,
            "title": change.title,
            "url": request.build_absolute_uri(change.url) if change.url else None,
        },
        "explanation": change.note.explanation if change.note else None,
        "explanation_language": change.note.language if change.note else None,
        "fields": [
            {
                "field": item.name,
                "label": str(item.label),
                "before": item.before,
                "after": item.after,
            }
            for item in change.fields
        ],
        "url": request.build_absolute_uri(anchor(change)),
    }


class ChangeListData(View):
    """`/changes.json`: a page of changes (20), the total, `next`."""

    def get(self, request):
        record, error = record_asked(request.GET)
        if error:
            return bad_request({"record": [error]})
        paginator = Paginator(published_revisions(record), PAGE_SIZE)
        try:
            page = paginator.page(request.GET.get("page") or 1)
        except InvalidPage:
            message = _("La page « %(page)s » n’existe pas : la liste en compte %(n)d.") % {
                "page": str(request.GET.get("page"))[:20],
                "n": paginator.num_pages,
            }
            return bad_request({"page": [message]})
        query = request.GET.copy()
        next_url = None
        if page.has_next():
            query["page"] = page.next_page_number()
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        changes = changes_for(page.object_list)
        return json_response(
            {
                "total": paginator.count,
                "count": len(changes),
                "page": page.number,
                "next": next_url,
                "html": request.build_absolute_uri(reverse("changes")),
                "changes": [change_data(request, change) for change in changes],
            }
        )


class ChangesFeed(Feed):
    """`/feeds/changes.atom`: the 50 latest changes, newest first."""

    feed_type = ArchiveAtomFeed

    def author_name(self):
        return _("L’archive")

    def __call__(self, request, *args, **kwargs):
        _record, error = record_asked(request.GET)
        if error:
            return bad_request({"record": [error]})
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        record, _error = record_asked(request.GET)
        return Selection(record, request)

    def title(self, selection):
        base = _("Crise à OpenAI, 16–20 novembre 2023 : les changements")
        record = selection.record
        name = getattr(record, "title", None) or getattr(record, "name", None)
        return f"{base} · {name}" if name else base

    def subtitle(self, selection):
        return _(
            "Chaque changement publié dans l’archive, le plus récent d’abord, avec "
            "l’explication de la rédaction."
        )

    def link(self, selection):
        return reverse("changes")

    def items(self, selection):
        changes = changes_for(published_revisions(selection.record)[:FEED_SIZE])
        for change in changes:
            change.guid = selection.request.build_absolute_uri(anchor(change))
        return changes

    def item_title(self, change):
        return f"{change.kind_label.capitalize()} : {change.title}"

    def item_description(self, change):
        parts = []
        if change.note:
            parts.append(change.note.explanation)
        for item in change.fields:
            before, after = " · ".join(item.before) or "—", " · ".join(item.after) or "—"
            parts.append(f"{str(item.label).capitalize()} : {before} → {after}")
        return "\n".join(parts) or change.kind_label

    def item_link(self, change):
        # The record's page while it exists: /changes/ pages on, its anchors move.
        return change.url or anchor(change)

    def item_guid(self, change):
        return change.guid

    def item_pubdate(self, change):
        return change.at

    def item_updateddate(self, change):
        return change.at

    def item_author_name(self, change):
        return EDITOR
