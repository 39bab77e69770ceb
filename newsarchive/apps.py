from django.apps import AppConfig


class NewsArchiveConfig(AppConfig):
    name = "newsarchive"
    verbose_name = "Archive"

    def ready(self):
        from .http import faults, versioning

        versioning.connect()
        faults.connect()
