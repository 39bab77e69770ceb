"""`manage.py import_source PATH [--outlet TEXT] [--published YYYY-MM-DD[THH:MM]]
[--language fr|en] [--title TEXT] [--author TEXT]`: the admin's « Importer une source »
without the review: the document at PATH (`.txt`, `.md`, `.html`) read and saved as the
admin saves it (events.importing), or refused with the admin's message and nothing written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from events import importing
from events.importing import metadata
from people.models import Precision


class Command(BaseCommand):
    help = "Importe un document source (.txt, .md ou page .html enregistrée) et ses passages."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--outlet", default="")
        parser.add_argument("--published", default="", help="YYYY-MM-DD ou YYYY-MM-DDTHH:MM")
        parser.add_argument("--precision", default="", choices=["", *Precision.values])
        parser.add_argument("--language", default="", choices=["", *metadata.LANGUAGES])
        parser.add_argument("--title", default="")
        parser.add_argument("--author", default="")

    def handle(self, *args, path, **options):
        file = Path(path)
        try:
            size = file.stat().st_size
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        try:
            importing.reading.check_size(size)
            with file.open("rb") as handle:
                draft = importing.read_document(file.name, handle.read(importing.MAX_BYTES + 1))
            metadata.apply(
                draft,
                title=options["title"],
                outlet=options["outlet"],
                author=options["author"],
                language=options["language"],
                published=options["published"],
                precision=options["precision"],
            )
            article = importing.save_draft(draft)
        except importing.ImportRefused as refused:
            raise CommandError(message(refused)) from refused
        self.stdout.write(
            f"{article.title} : {article.passages.count()} passages importés "
            f"({article.get_absolute_url()})."
        )


def message(refused):
    """The admin's message; a duplicate names the source's admin page and public page."""
    article = refused.existing
    if article is None:
        return refused.message
    admin = reverse("admin:events_article_change", args=[article.pk])
    return f"{refused.message} {admin} · {article.get_absolute_url()}"
