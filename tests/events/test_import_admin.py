"""« Importer une source » in the admin, as an editor drives it: the button on the articles
list, the upload or paste, the review with what each passage names, the save; every bad input
a form error with nothing written."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from core.html_forms import form_data
from events.importing import MAX_BYTES
from events.models import Article, Passage
from tests.factories import AliasFactory, PersonFactory
from tests.newsarchive.editing import editor_client

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ASSETS = Path(__file__).parent / "assets"
URL = reverse("admin:events_article_import")
TEXT = (
    "# Le conseil d’Orion écarte sa directrice\n\n"
    "Le vendredi 17 novembre, vers 13 h 30, le conseil a annoncé le départ de Jeanne Essai.\n\n"
    "## Une décision inattendue\n\n"
    "> Nous avons perdu confiance.\n\n"
    "Le lendemain, JEANNE a quitté les lieux."
)


@pytest.fixture
def editor():
    return editor_client()


@pytest.fixture
def jeanne():
    jeanne = PersonFactory(name="Jeanne Essai")
    AliasFactory(actor=jeanne, name="Jeanne")
    return jeanne


def upload(editor, **fields):
    data = {"text": "", "title": "", "outlet": "", "author": "", "published": ""}
    data |= {"published_precision": "", "language": ""} | fields
    return editor.post(URL, data)


def review_data(response):
    assert response.status_code == 200
    return form_data(response.content.decode(), "import_review_form")


def confirm(editor, data, **changes):
    for name, value in changes.items():
        data[name] = [value]
    data["save"] = ["Enregistrer la source"]
    return editor.post(URL, data)


def test_the_articles_list_links_to_the_import(editor):
    page = editor.get(reverse("admin:events_article_changelist")).content.decode()
    assert f'href="{URL}"' in page and "Importer une source" in page
    form = editor.get(URL)
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.content.decode()


def test_importing_needs_the_permission_to_add_articles(client):
    user = get_user_model().objects.create_user("lectrice", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403
    listing = client.get(reverse("admin:events_article_changelist"))
    assert listing.status_code == 403
    user.user_permissions.add(
        Permission.objects.get(codename="view_article"),
        Permission.objects.get(codename="add_article"),
    )
    assert client.get(URL).status_code == 200
    assert URL in client.get(reverse("admin:events_article_changelist")).content.decode()


def test_pasted_text_is_reviewed_then_saved(editor, jeanne):
    response = upload(editor, text=TEXT, outlet="La Gazette des tests")
    page = response.content.decode()
    # Everything read, editable: the metadata, then each passage with what it names.
    assert 'value="Le conseil d’Orion écarte sa directrice"' in page
    assert 'value="La Gazette des tests"' in page
    assert "5 passages" in page
    assert f'<a href="{jeanne.get_absolute_url()}">Jeanne Essai</a>' in page
    assert "« JEANNE »" in page
    assert "« vendredi 17 novembre »" in page and "« 13 h 30 »" in page
    assert not Article.objects.exists()  # nothing written before the confirmation

    data = review_data(response)
    assert data["passages-TOTAL_FORMS"] == ["5"]
    saved = confirm(editor, data, **{"passages-1-text": "Le conseil a annoncé un départ."})
    article = Article.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == reverse("admin:events_article_change", args=[article.pk])
    assert article.title == "Le conseil d’Orion écarte sa directrice"
    assert article.outlet == "La Gazette des tests" and article.language == "fr"
    assert list(article.passages.values_list("number", "kind")) == [
        (1, "title"),
        (2, "paragraph"),
        (3, "heading"),
        (4, "quote"),
        (5, "paragraph"),
    ]
    assert article.passages.get(number=2).text == "Le conseil a annoncé un départ."
    (version,) = Version.objects.get_for_object(article)
    assert version.revision.comment == "Source importée"
    assert version.revision.user.username == "editrice"
    followed = editor.get(saved["Location"]).content.decode()
    assert "a été importée : 5 passages" in followed


def test_the_review_drops_deleted_and_emptied_passages_and_renumbers(editor):
    data = review_data(upload(editor, text=TEXT))
    data["passages-2-DELETE"] = ["on"]
    data["passages-3-text"] = ["  "]
    data["published"] = ["2023-11-18T09:30"]
    data["published_precision"] = ["hour"]
    data["language"] = ["en"]
    data["title"] = ["Un autre titre"]
    assert confirm(editor, data).status_code == 302
    article = Article.objects.get()
    assert article.slug == "un-autre-titre" and article.language == "en"
    assert article.published_precision == "hour"
    assert list(article.passages.values_list("number", "kind")) == [
        (1, "title"),
        (2, "paragraph"),
        (3, "paragraph"),
    ]


def test_updating_the_review_reads_the_edited_text_again_and_saves_nothing(editor, jeanne):
    data = review_data(upload(editor, text="# Titre\n\nPersonne ici."))
    data["passages-1-text"] = ["Jeanne Essai parle à midi."]
    data["refresh"] = ["Mettre à jour"]
    page = editor.post(URL, data).content.decode()
    assert "Jeanne Essai</a>" in page and "« midi »" in page
    assert not Article.objects.exists()


def test_a_saved_page_is_uploaded_with_its_metadata(editor):
    page = (ASSETS / "gazette-orion.html").read_bytes()
    response = upload(editor, document=SimpleUploadedFile("orion.html", page, "text/html"))
    content = response.content.decode()
    assert 'value="La Gazette des tests"' in content
    assert 'value="Camille Exemple"' in content and 'value="2023-11-18"' in content
    assert confirm(editor, review_data(response)).status_code == 302
    article = Article.objects.get()
    assert article.outlet == "La Gazette des tests" and article.published_precision == "day"
    assert "Auteur : Camille Exemple" in article.note and "orion.html" in article.note
    assert article.passages.count() == 6


def error_page(response):
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="errornote"' in page
    assert not Article.objects.exists() and not Passage.objects.exists()
    return page


def file(name, data):
    return SimpleUploadedFile(name, data, "application/octet-stream")


def test_nothing_given_or_both_given_is_an_error(editor):
    assert "Collez un texte ou choisissez un fichier." in error_page(upload(editor))
    both = upload(editor, text="Du texte.", document=file("a.txt", b"Du texte."))
    assert "pas les deux" in error_page(both)


def test_empty_text_or_file_is_an_error(editor):
    # Whitespace alone is no text: said so, nothing read further.
    assert "Collez un texte" in error_page(upload(editor, text="  \n\n  "))
    assert "Le fichier est vide." in error_page(upload(editor, document=file("vide.txt", b" \n")))


def test_an_oversized_file_is_an_error(editor):
    big = file("gros.txt", b"mot " * (MAX_BYTES // 4 + 1))
    assert "Le document est trop gros" in error_page(upload(editor, document=big))


def test_an_undecodable_file_is_an_error(editor):
    page = error_page(upload(editor, document=file("a.txt", b"Caf\x81 \x8d \x00")))
    assert "n’est pas un texte lisible" in page and "UTF-8" in page


def test_a_page_with_no_article_body_is_an_error(editor):
    menus = file("accueil.html", (ASSETS / "menus-only.html").read_bytes())
    assert "Aucun texte d’article n’a été trouvé" in error_page(upload(editor, document=menus))


def test_an_unsupported_extension_is_an_error(editor):
    page = error_page(upload(editor, document=file("article.pdf", b"%PDF-1.7")))
    assert "« .pdf » n’est pas pris en charge" in page


def test_a_bad_date_or_a_precision_without_date_is_an_error(editor):
    assert "illisible" in error_page(upload(editor, text=TEXT, published="18/11/2023"))
    assert "sans date" in error_page(upload(editor, text=TEXT, published_precision="day"))


def test_a_source_already_imported_is_refused_with_links_to_it(editor):
    assert confirm(editor, review_data(upload(editor, text=TEXT))).status_code == 302
    article = Article.objects.get()
    links = (
        f'<a href="{reverse("admin:events_article_change", args=[article.pk])}">'
        "Sa fiche dans l’administration</a> · "
        f'<a href="{article.get_absolute_url()}">Sa page publique</a>'
    )
    # At the upload already, however its whitespace differs …
    again = upload(editor, text=TEXT.replace("\n\n", "\n\n\n").replace("vers ", "vers  "))
    page = again.content.decode()
    assert "Cette source est déjà dans l’archive" in page and links in page
    # … and at the confirmation, if it was imported meanwhile.
    data = review_data(upload(editor, text=TEXT + "\n\nUn ajout."))
    data["passages-5-DELETE"] = ["on"]
    page = confirm(editor, data).content.decode()
    assert "Cette source est déjà dans l’archive" in page and links in page
    assert Article.objects.count() == 1 and Passage.objects.count() == 5


def test_an_import_that_cannot_be_saved_writes_nothing(editor, monkeypatch):
    data = review_data(upload(editor, text=TEXT))
    original = Passage.save

    def failing(self, *args, **kwargs):
        if self.number == 4:
            raise RuntimeError("disque plein")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Passage, "save", failing)
    editor.raise_request_exception = True
    with pytest.raises(RuntimeError):
        confirm(editor, data)
    assert not Article.objects.exists() and not Passage.objects.exists()


def test_the_import_speaks_english_too():
    from django.utils import translation

    from events.import_admin import UploadForm

    with translation.override("en"):
        form = UploadForm()
        assert str(form.fields["text"].label) == "Text"
        assert "2 MB at most" in str(form.fields["document"].help_text)
        assert gettext_refused() == "The file is empty."


def gettext_refused():
    from events.importing import ImportRefused, read_document

    try:
        read_document("vide.txt", b"")
    except ImportRefused as refused:
        return refused.message


def test_the_longest_review_fits_in_one_post(editor):
    from events.importing import MAX_PASSAGES

    text = "\n\n".join(f"Paragraphe {n}." for n in range(MAX_PASSAGES))
    data = review_data(upload(editor, text=text))
    for n in range(MAX_PASSAGES):
        data[f"passages-{n}-DELETE"] = ["on"]
    # Every field sent (kind, text, delete for each passage): under Django's limit, so the
    # editor gets the form back, not a 400.
    page = error_page(confirm(editor, data))
    assert "Le document ne contient aucun texte." in page
