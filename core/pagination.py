"""Lists that page, all alike (events, quotes, disputes, people, organisations): a page number
that does not exist, or a filter the form refuses, is the reader's mistake, so the list says
what is wrong and answers 400 instead of a bare 404; the pages are offered as an elided range
(1 2 3 … 40) that core/_pagination.html renders with the active filters kept."""

from django.http import Http404
from django.utils.translation import gettext as _


class ListPageMixin:
    page_error = None

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            paginator = self.get_paginator(queryset, page_size)
            self.page_error = _("La page « %(page)s » n’existe pas : la liste en compte %(n)d.") % {
                "page": str(self.request.GET.get("page"))[:20],
                "n": paginator.num_pages,
            }
            return paginator, None, [], False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_error"] = self.page_error
        page = context.get("page_obj")
        if page:
            context["page_range"] = page.paginator.get_elided_page_range(page.number)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        filterset = getattr(self, "filterset", None)
        if self.page_error or (filterset is not None and filterset.errors):
            response.status_code = 400
        return response
