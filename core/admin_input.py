"""What every admin page makes of its query string: a value that does not parse is dropped or
refused (the changelist's own "invalid filter" redirect), never a server error.

Add pages take initial values from the query string (`?passages=3,4`, `?parent=7`), and the
changelist turns parameters into lookups (`?occurred_at__year=2023`). Django checks a value's
form but not its size: a number too large for the database reaches SQLite as an OverflowError,
and ids that are not numbers reach the select widgets of related fields as a ValueError.
"""

import datetime
from functools import partial

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone

INVALID = object()


def parsed(field, value):
    """`value` as `field` holds it, or INVALID if it cannot stand for it in a form or a query
    on any of our databases."""
    try:
        if field.is_relation:
            # An id of the related model, in range for its column (the validators know the range).
            return field.target_field.clean(value, None)
        result = field.to_python(value)
        field.run_validators(result)
        if isinstance(result, datetime.datetime) and timezone.is_naive(result):
            # The form's widgets expect what a saved record holds: an aware datetime.
            result = timezone.make_aware(result)
    except (ValidationError, TypeError, ValueError, OverflowError):
        return INVALID
    return result


# Lookups whose value the changelist hands on as the text that came in: a range needs two
# values and a regular expression may not compile, so either fails in the database.
REFUSED_LOOKUPS = {"range", "regex", "iregex"}


class QueryStringInputAdmin:
    def lookup_allowed(self, lookup, value, request):
        # Refused, the changelist answers 400 (DisallowedModelAdminLookup).
        if lookup.rsplit(LOOKUP_SEP, 1)[-1] in REFUSED_LOOKUPS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_changeform_initial_data(self, request):
        # `?occurred_at=x` would crash the date widget, `?passages=abc` the related select.
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                del initial[name]
                continue
            if field.many_to_many:
                # Django has split `?passages=3,4` into ids; keep those that parse.
                initial[name] = [
                    item for item in map(partial(parsed, field), value) if item is not INVALID
                ]
            elif (result := parsed(field, value)) is INVALID:
                del initial[name]
            else:
                # Parsed: a date widget given the text it came from would fail as it renders.
                initial[name] = result
        return initial

    def get_changelist_instance(self, request):
        # The changelist counts its rows as it is built, so a lookup value the database cannot
        # hold fails here, not where Django catches bad lookups: a number too big, or on
        # PostgreSQL an address that is none (`?ip_address=+`, an inet column). Answered as
        # Django answers a bad lookup, with its "invalid filter" redirect.
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as exc:
            raise IncorrectLookupParameters(exc) from exc
