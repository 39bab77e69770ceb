"""`manage.py import_source`: the admin's import without the review, refusing with the same
messages and writing nothing."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from events.models import Article, Passage
from tests.factories import PACIFIC

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ASSETS = Path(__file__).parent / "assets"


def run(*args):
    out = StringIO()
    call_command("import_source", *map(str, args), stdout=out)
    return out.getvalue()


def test_a_saved_page_is_imported_with_the_options_over_its_metadata():
    out = run(
        ASSETS / "gazette-orion.html",
        "--outlet",
        "Le Média",
        "--published",
        "2023-11-18T09:30",
        "--language",
        "fr",
    )
    article = Article.objects.get()
    assert "6 passages importés" in out and article.get_absolute_url() in out
    assert article.outlet == "Le Média"
    assert article.published_at == datetime.datetime(2023, 11, 18, 9, 30, tzinfo=PACIFIC)
    assert article.published_precision == "minute"
    assert article.passages.first().kind == "title"


def test_markdown_and_text_files(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("# Un titre\n\nUn paragraphe.\n\n> Une citation.", encoding="utf-8")
    run(path, "--language", "en")
    article = Article.objects.get()
    assert article.title == "Un titre" and article.language == "en"
    assert list(article.passages.values_list("kind", flat=True)) == ["title", "paragraph", "quote"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("vide.txt", b"", "Le fichier est vide."),
        ("article.pdf", b"%PDF", "n’est pas pris en charge"),
        ("illisible.txt", b"Caf\x81 \x8d", "n’est pas un texte lisible"),
        ("gros.txt", b"a" * (2 * 1024 * 1024 + 1), "Le document est trop gros"),
    ],
)
def test_bad_files_are_refused_with_the_admin_message(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError, match=message):
        run(path)
    assert not Article.objects.exists()


def test_a_page_without_article_and_a_missing_file_are_refused(tmp_path):
    with pytest.raises(CommandError, match="Aucun texte d’article"):
        run(ASSETS / "menus-only.html")
    with pytest.raises(CommandError, match="absent.txt"):
        run(tmp_path / "absent.txt")
    with pytest.raises(CommandError, match="illisible"):
        run(ASSETS / "gazette-orion.html", "--published", "hier")
    assert not Article.objects.exists()


def test_the_same_text_twice_is_refused_naming_the_existing_source(tmp_path):
    run(ASSETS / "gazette-orion.html")
    article = Article.objects.get()
    with pytest.raises(CommandError, match="déjà dans l’archive") as refused:
        run(ASSETS / "gazette-orion.html", "--outlet", "Un autre")
    assert reverse("admin:events_article_change", args=[article.pk]) in str(refused.value)
    assert article.get_absolute_url() in str(refused.value)
    assert Article.objects.count() == 1 and Passage.objects.count() == 6


def test_readers_see_the_new_source_at_once(client):
    assert "aucun document source" in client.get("/sources/").content.decode()
    assert client.get("/sources/")["X-Cache"] == "hit"
    run(ASSETS / "gazette-orion.html")
    page = client.get("/sources/")
    assert page["X-Cache"] == "miss"
    assert "Orion écarte sa directrice" in page.content.decode()
