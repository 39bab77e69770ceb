from django.apps import AppConfig


class NewsArchiveConfig(AppConfig):
    name = "newsarchive"
    verbose_name = "Archive"

    def ready(self):
        from .database import sqlite
        from .http import versioning

        versioning.connect()
        sqlite.connect()
