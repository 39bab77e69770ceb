"""`/healthz` for load balancers: 200 when the database answers and every migration is
applied, 503 otherwise. Never cached, sets no cookie, renders no template."""

import functools

from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from newsarchive.database import faults


@functools.cache
def known_migrations():
    """The migrations on disk (read once per process: they change only with a deploy), with
    what each squashed migration replaces."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.nodes), {
        key: tuple(migration.replaces) for key, migration in loader.replacements.items()
    }


def pending_migrations():
    nodes, replacements = known_migrations()
    applied = set(MigrationRecorder(connection).applied_migrations())

    def is_applied(key):
        # A squashed migration counts as applied once everything it replaces is.
        replaced = replacements.get(key)
        return key in applied or bool(replaced) and all(old in applied for old in replaced)

    return sorted(key for key in nodes if not is_applied(key))


@method_decorator(never_cache, name="dispatch")
class HealthView(View):
    http_method_names = ["get", "head"]

    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            pending = pending_migrations()
        except DatabaseError as exception:
            faults.record(exception)
            return self.unavailable("database unreachable")
        if pending:
            names = [f"{app}.{name}" for app, name in pending]
            return self.unavailable("migrations not applied", pending=names)
        return JsonResponse({"status": "ok"})

    @staticmethod
    def unavailable(reason, **details):
        body = {"status": "unavailable", "reason": reason, **details}
        response = JsonResponse(body, status=503)
        response["Retry-After"] = str(faults.RETRY_AFTER)
        return response
