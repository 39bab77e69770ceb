"""The "as of" control of the actor pages: which roles were held at a given moment."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.dates import AT_FORMAT

# What the box shows and reads; the links' `?at=` (the datetime-local form) is read too.
TYPED = "%Y-%m-%d %H:%M"
# Years outside this range say nothing about the story, and the extremes (9999-12-31 in
# Pacific time is in year 10000 in UTC) overflow Python's datetime when the query is built.
YEARS = range(1900, 2101)


class AsOfForm(forms.Form):
    # A naive value is read in the current time zone, the story's (America/Los_Angeles).
    at = forms.DateTimeField(
        label=_("Rôles tenus le"),
        required=False,
        input_formats=[
            TYPED,
            "%Y-%m-%d %Hh%M",
            "%Y-%m-%d %H h %M",
            "%Y-%m-%d %H",
            AT_FORMAT,
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d",
        ],
        # A plain text box in one clear format: the browser's datetime-local widget follows
        # the browser's locale (mm/dd/yyyy, AM/PM), not the page's, and clips on a phone.
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Heure du Pacifique (San Francisco), sous la forme AAAA-MM-JJ HH:MM, "
            "par exemple 2023-11-18 12:00."
        ),
        error_messages={
            "invalid": _(
                "Date et heure non reconnues : utilisez la forme AAAA-MM-JJ HH:MM, "
                "par exemple 2023-11-18 12:00."
            )
        },
    )

    def clean_at(self):
        moment = self.cleaned_data["at"]
        if moment is not None and moment.year not in YEARS:
            raise ValidationError(
                _("Choisissez une date entre %(first)s et %(last)s."),
                code="out_of_range",
                params={"first": YEARS[0], "last": YEARS[-1]},
            )
        return moment

    @classmethod
    def from_request(cls, request):
        """Bound only when the query string has `at`, so a plain page has no error state."""
        return cls(request.GET) if "at" in request.GET else cls()

    @property
    def moment(self):
        if self.is_bound and self.is_valid():
            return self.cleaned_data["at"]
        return None
