from django.apps import AppConfig


class NewsArchiveConfig(AppConfig):
    name = "newsarchive"
    verbose_name = "Archive"

    def ready(self):
        from core.signals import archive_generated

        from . import generated_history
        from .database import sqlite
        from .http import versioning

        versioning.connect()
        sqlite.connect()
        archive_generated.connect(
            generated_history.write_history, dispatch_uid="newsarchive.generated_history"
        )
