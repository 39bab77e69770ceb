"""Lists that page: a page number that does not exist is the reader's mistake, so the list says
which pages there are and answers 400, instead of a bare 404 (the events, people and
organisation lists alike)."""

from django.http import Http404
from django.utils.translation import gettext as _


class PageErrorMixin:
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
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.page_error:
            response.status_code = 400
        return response
