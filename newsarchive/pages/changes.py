"""`/changes/`: every change of the archive's events, people and organisations since the story
was loaded, newest first (newsarchive.history), 20 a page; `?event=<slug>` or `?actor=<slug>`:
one record's. A page that does not exist or a record that is none: a 400 that says so."""

from django.views.generic import ListView

from core.pagination import ListPageMixin

from ..history import changes_for, published_revisions, record_asked


class ChangeListView(ListPageMixin, ListView):
    template_name = "newsarchive/change_list.html"
    context_object_name = "revisions"
    paginate_by = 20
    record = record_error = None

    def get(self, request, *args, **kwargs):
        self.record, self.record_error = record_asked(request.GET)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if self.record_error:
            return published_revisions().none()
        return published_revisions(self.record)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["changes"] = changes_for(context["revisions"])
        context["record"] = self.record
        context["record_error"] = self.record_error
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.record_error:
            response.status_code = 400
        return response
