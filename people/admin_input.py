"""What every admin page makes of its query string: a value that does not parse is dropped or
refused (the changelist's own "invalid filter" redirect), never a server error.

Add pages take initial values from the query string (`?passages=3,4`, `?parent=7`), and the
changelist turns parameters into lookups (`?occurred_at__year=2023`). Django checks a value's
form but not its size: a number too large for the database reaches SQLite as an OverflowError,
and ids that are not numbers reach the select widgets of related fields as a ValueError.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist, ValidationError


def parses(field, value):
    """Whether `value` can stand for `field` in a form or a query on any of our databases."""
    try:
        if field.is_relation:
            # An id of the related model, in range for its column (the validators know the range).
            field.target_field.clean(value, None)
        else:
            field.run_validators(field.to_python(value))
    except (ValidationError, TypeError, ValueError, OverflowError):
        return False
    return True


class QueryStringInputAdmin:
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
                initial[name] = [item for item in value if parses(field, item)]
            elif not parses(field, value):
                del initial[name]
        return initial

    def get_changelist_instance(self, request):
        # The changelist counts its rows as it is built, so a lookup value the database cannot
        # hold fails here; Django already answers ValueError with its "invalid filter" redirect.
        try:
            return super().get_changelist_instance(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc
