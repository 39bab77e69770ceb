"""`/sources/`: the source documents the archive is built from, and `/sources/<slug>/`, one of
them read passage by passage with what the archive drew from each passage.

A source page shows the passages numbered 1–40, 41–80… (`?page=2`): the page of a passage
follows from its number, so every link to a passage says its page without a query, and the
`#pN` anchors are the same as on the old `/article/`. Nine queries whatever the size of the
document: the document, its passages on the page with what they back (four), the actors
named there and their aliases, the data and key versions.
"""

from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from core.pagination import ListPageMixin
from events.models import Article, Passage
from events.models.provenance import PASSAGES_PER_PAGE
from people.models import Actor

from .article import ActorLinker, Block, drawn_from, heading_levels


class SourceListView(ListPageMixin, ListView):
    queryset = Article.objects.for_index()
    template_name = "newsarchive/source_list.html"
    context_object_name = "sources"
    paginate_by = 50


class SourceDetailView(TemplateView):
    template_name = "newsarchive/source_detail.html"
    # English pages: the events, quotes and roles each passage backs (the text stays as is).
    translated_context = ("facts_shown",)
    page_error = None

    def get_page(self, last_number):
        """The page asked for (a Paginator over the passage numbers: no query), or None and
        a message, as the lists say it (core.pagination), for one that does not exist."""
        paginator = Paginator(range(max(last_number or 0, 1)), PASSAGES_PER_PAGE)
        try:
            return paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage:
            self.page_error = _("La page « %(page)s » n’existe pas : la liste en compte %(n)d.") % {
                "page": str(self.request.GET.get("page"))[:20],
                "n": paginator.num_pages,
            }
            return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = get_object_or_404(
            Article.objects.for_reading().with_fact_count(), slug=kwargs["slug"]
        )
        page = self.get_page(article.last_number)
        passages = []
        if page is not None:
            on_page = Passage.objects.on_page(article, page.number)
            passages = list(on_page.for_reading())
        story = [p for p in passages if p.kind != Passage.Kind.FURNITURE]
        levels = heading_levels(story)
        actors = Actor.objects.for_list().filter(drawn_from(on_page.values("pk"))) if story else []
        linker = ActorLinker(actors)
        title = next((p for p in story if p.kind == Passage.Kind.TITLE), None)
        context.update(
            article=article,
            title=title,
            blocks=[
                Block(p, linker.link(p.text), levels.get(p.pk, 0)) for p in story if p is not title
            ],
            furniture=[p for p in passages if p.kind == Passage.Kind.FURNITURE],
            page_error=self.page_error,
            page_obj=page,
            page_range=page.paginator.get_elided_page_range(page.number) if page else (),
        )
        context["facts_shown"] = [p.events_shown + p.quotes_shown + p.roles_shown for p in story]
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.page_error:
            response.status_code = 400
        return response
