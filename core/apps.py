from django.apps import AppConfig


class CoreConfig(AppConfig):
    # An app only so that its template tags (archive_dates) load by name.
    name = "core"
