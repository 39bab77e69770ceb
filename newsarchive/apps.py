from django.apps import AppConfig


class NewsArchiveConfig(AppConfig):
    name = "newsarchive"
    verbose_name = "Archive"
