"""Importing a source document, the shared part (events.importing): reading text, Markdown and
saved HTML pages into passages, the actors and moments each names, saving all or nothing."""

import datetime
from pathlib import Path

import pytest
from reversion.models import Version

from events.importing import (
    MAX_BYTES,
    Block,
    Draft,
    ImportRefused,
    find_duplicate,
    read_document,
    read_text,
    save_draft,
    text_digest,
)
from events.importing.decoding import decode
from events.importing.mentions import mentions
from events.importing.metadata import apply, parse_published
from events.importing.moments import find_moments
from events.importing.splitting import split_text
from events.models import Article, Passage
from people.models import Actor
from tests.factories import (
    PACIFIC,
    AliasFactory,
    ArticleFactory,
    OrganisationFactory,
    PassageFactory,
    PersonFactory,
)

ASSETS = Path(__file__).parent / "assets"
Kind = Passage.Kind


def kinds_and_texts(blocks):
    return [(block.kind, block.text) for block in blocks]


# --- Splitting ------------------------------------------------------------------------------


def test_markdown_splits_into_title_headings_paragraphs_and_quotes():
    text = (
        "# Le conseil écarte sa directrice\n\n"
        "Premier paragraphe,\nsur deux lignes.  \n\n"
        "## Une décision inattendue\n"
        "Deuxième paragraphe.\n\n"
        "> Nous avons perdu confiance\n> dans sa capacité.\n\n"
        "   \n\n"
        "# Un autre intertitre #\n"
    )
    assert kinds_and_texts(split_text(text)) == [
        (Kind.TITLE, "Le conseil écarte sa directrice"),
        (Kind.PARAGRAPH, "Premier paragraphe,\nsur deux lignes."),
        (Kind.HEADING, "Une décision inattendue"),
        (Kind.PARAGRAPH, "Deuxième paragraphe."),
        (Kind.QUOTE, "Nous avons perdu confiance\ndans sa capacité."),
        (Kind.HEADING, "Un autre intertitre"),
    ]


def test_a_quote_interrupts_a_paragraph_and_keeps_its_lazy_lines():
    blocks = split_text("Il a dit :\n> Une phrase\nqui continue.\n\nFin.")
    assert kinds_and_texts(blocks) == [
        (Kind.PARAGRAPH, "Il a dit :"),
        (Kind.QUOTE, "Une phrase\nqui continue."),
        (Kind.PARAGRAPH, "Fin."),
    ]


def test_plain_text_takes_a_short_first_line_as_its_title_and_keeps_words_verbatim():
    text = "Que se passe-t-il ?\r\n\r\n  Ce fut un week-end « mouvementé » – vraiment.\r\n\r\nFin."
    assert kinds_and_texts(split_text(text)) == [
        (Kind.TITLE, "Que se passe-t-il ?"),
        (Kind.PARAGRAPH, "Ce fut un week-end « mouvementé » – vraiment."),
        (Kind.PARAGRAPH, "Fin."),
    ]
    # A first line that is a sentence is no title.
    assert split_text("Une phrase.\n\nUne autre.")[0].kind == Kind.PARAGRAPH


def test_pasted_text_without_a_title_is_titled_by_its_start():
    draft = read_text("Une phrase qui ouvre le texte.\n\nUne autre.")
    assert draft.title == "Une phrase qui ouvre le texte."
    assert [block.kind for block in draft.blocks] == [Kind.PARAGRAPH, Kind.PARAGRAPH]


# --- HTML -----------------------------------------------------------------------------------


def test_a_saved_page_gives_its_article_body_and_metadata():
    draft = read_document("gazette-orion.html", (ASSETS / "gazette-orion.html").read_bytes())
    assert draft.title == "Le conseil d'Orion écarte sa directrice"
    assert draft.outlet == "La Gazette des tests"
    assert draft.author == "Camille Exemple"
    assert draft.language == "fr"
    assert draft.published_at == datetime.datetime(2023, 11, 18)
    assert draft.published_precision == "day"
    assert draft.origin == "gazette-orion.html"
    assert [block.kind for block in draft.blocks] == [
        Kind.TITLE,
        Kind.PARAGRAPH,
        Kind.HEADING,
        Kind.PARAGRAPH,
        Kind.QUOTE,
        Kind.PARAGRAPH,
    ]
    assert draft.blocks[4].text == (
        "Nous avons perdu confiance dans sa capacité à diriger l’entreprise."
    )
    texts = " ".join(block.text for block in draft.blocks)
    # The page's menu and footer are not the article.
    assert "Accueil" not in texts and "Mentions légales" not in texts
    assert "droits réservés" not in texts


def test_a_whole_page_pasted_is_read_as_html():
    draft = read_text((ASSETS / "gazette-orion.html").read_text(encoding="utf-8"))
    assert draft.outlet == "La Gazette des tests" and len(draft.blocks) == 6


def test_a_page_with_no_article_body_is_refused():
    with pytest.raises(ImportRefused, match="Aucun texte d’article"):
        read_document("accueil.html", (ASSETS / "menus-only.html").read_bytes())


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\n\t", b"\xef\xbb\xbf\n"])
def test_an_empty_file_is_refused(data):
    with pytest.raises(ImportRefused, match="vide|aucun texte"):
        read_document("vide.txt", data)


def test_empty_pasted_text_is_refused():
    with pytest.raises(ImportRefused, match="Le texte est vide"):
        read_text("  \n ")


def test_an_oversized_file_is_refused_before_it_is_read():
    with pytest.raises(ImportRefused, match="trop gros"):
        read_document("gros.txt", b"a" * (MAX_BYTES + 1))


@pytest.mark.parametrize("name", ["article.pdf", "article.docx", "article", "article.txt.exe"])
def test_other_extensions_are_refused(name):
    with pytest.raises(ImportRefused, match="n’est pas pris en charge"):
        read_document(name, b"Du texte.")


def test_encodings_utf8_with_or_without_bom_and_windows_1252_are_read():
    assert decode("Démission d’Altman".encode()) == "Démission d’Altman"
    assert decode("\ufeffDémission".encode()) == "Démission"
    assert decode("Démission d’Altman – 5 €".encode("cp1252")) == "Démission d’Altman – 5 €"


@pytest.mark.parametrize(
    "data",
    [
        b"Caf\x81 \x8d",  # bytes Windows-1252 leaves undefined, and no UTF-8
        "Texte en UTF-16".encode("utf-16"),  # NUL bytes: no text in either
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_bytes_that_are_no_text_are_refused(data):
    with pytest.raises(ImportRefused, match="n’est pas un texte lisible"):
        read_document("illisible.txt", data)


# --- Metadata -------------------------------------------------------------------------------


def test_published_dates_read_with_their_precision_in_pacific_time():
    assert parse_published("") == (None, "")
    day, precision = parse_published("2023-11-18")
    assert day == datetime.datetime(2023, 11, 18, tzinfo=PACIFIC) and precision == "day"
    moment, precision = parse_published("2023-11-18T13:30")
    assert moment == datetime.datetime(2023, 11, 18, 13, 30, tzinfo=PACIFIC)
    assert precision == "minute"
    for bad in ("18/11/2023", "2023-02-30", "2023-11-18T25:00", "demain"):
        with pytest.raises(ImportRefused, match="illisible"):
            parse_published(bad)


def test_what_the_editor_gives_wins_over_what_was_read():
    draft = Draft(blocks=[Block(Kind.PARAGRAPH, "x")], title="Lu", outlet="Lu", language="de")
    apply(draft, outlet="Le Média", published="2023-11-18", precision="month")
    assert draft.title == "Lu" and draft.outlet == "Le Média"
    assert draft.language == "fr"  # neither French nor English: French
    assert draft.published_precision == "month"
    with pytest.raises(ImportRefused, match="sans date"):
        apply(Draft(blocks=[]), precision="day")
    with pytest.raises(ImportRefused, match="inconnue"):
        apply(Draft(blocks=[]), language="de")


# --- Dates and times ------------------------------------------------------------------------


def moments_of(text):
    return [(moment.text, moment.value) for moment in find_moments(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Le vendredi 17 novembre, vers 13 h 30, le conseil a tranché.",
            [("vendredi 17 novembre", "--11-17"), ("13 h 30", "13:30")],
        ),
        ("Le 17 novembre 2023 à 13h30.", [("17 novembre 2023", "2023-11-17"), ("13h30", "13:30")]),
        ("Le 1er décembre, à 9 h.", [("1er décembre", "--12-01"), ("9 h", "09:00")]),
        ("Fin novembre 2023.", [("novembre 2023", "2023-11")]),
        ("Jeudi dernier, à midi, pas l’après-midi.", [("Jeudi", "Thursday"), ("midi", "12:00")]),
        (
            "On Friday, November 17, 2023 at 1:30 pm",
            [("Friday, November 17, 2023", "2023-11-17"), ("1:30 pm", "13:30")],
        ),
        (
            "Nov. 17 at 9 a.m. and 12:19",
            [("Nov. 17", "--11-17"), ("9 a.m.", "09:00"), ("12:19", "12:19")],
        ),
        ("On 17 November 2023, at noon.", [("17 November 2023", "2023-11-17"), ("noon", "12:00")]),
        ("Published 2023-11-18.", [("2023-11-18", "2023-11-18")]),
    ],
)
def test_dates_and_times_are_found_in_french_and_english(text, expected):
    assert moments_of(text) == expected


def test_what_is_no_date_or_time_is_left_out():
    assert moments_of("En 48 h, 700 employés sur 770 ; le 31 février ; 25:00 ; 13 pm.") == []


# --- Actors named ---------------------------------------------------------------------------


@pytest.mark.postgres
def test_passages_name_actors_by_name_or_alias_in_any_case_and_accents(db):
    sam = PersonFactory(name="Sam Altman")
    AliasFactory(actor=sam, name="Sam")
    ilya = PersonFactory(name="Ilya Sutskever")
    AliasFactory(actor=ilya, name="Ilya")
    board = OrganisationFactory(name="Conseil d’administration d’OpenAI")
    helene = PersonFactory(name="Hélène Témoin")
    OrganisationFactory(name="OpenAI")
    found = mentions(
        [
            "SAM ALTMAN a parlé à ilya ; le conseil d'administration d'OpenAI a voté.",
            "Sam's phone rang. Helene temoin, puis Sam.",
            "Personne ici, le vendredi 17 novembre.",
        ]
    )
    first = {named.actor: named.words for named in found[0].actors}
    # The longest name first: « conseil d'administration d'OpenAI », not « OpenAI » in it.
    assert first == {
        sam: ["SAM ALTMAN"],
        ilya: ["ilya"],
        board: ["conseil d'administration d'OpenAI"],
    }
    second = {named.actor: named.words for named in found[1].actors}
    # The words as matched: without the possessive, once however often.
    assert second == {sam: ["Sam"], helene: ["Helene temoin"]}
    assert found[2].actors == [] and [m.value for m in found[2].moments] == ["--11-17"]
    # What search would find for those words.
    assert set(Actor.objects.matching("SAM ALTMAN", "ilya", "Helene temoin")) == {
        sam,
        ilya,
        helene,
    }


@pytest.mark.postgres
def test_an_elided_name_is_found(db):
    openai = OrganisationFactory(name="OpenAI")
    (found,) = mentions(["Les salariés d’OpenAI."])
    assert [(named.actor, named.words) for named in found.actors] == [(openai, ["OpenAI"])]


# --- Saving ---------------------------------------------------------------------------------


def draft(title="Le conseil écarte sa directrice", texts=("Premier.", "Second.")):
    return Draft(
        blocks=[Block(Kind.TITLE, title)] + [Block(Kind.PARAGRAPH, text) for text in texts],
        title=title,
        outlet="La Gazette des tests",
        author="Camille Exemple",
        language="fr",
        published_at=datetime.datetime(2023, 11, 18, tzinfo=PACIFIC),
        published_precision="day",
        origin="gazette.md",
    )


@pytest.mark.postgres
def test_a_draft_is_saved_with_numbered_passages_and_one_history_entry(db):
    article = save_draft(draft())
    assert article.slug == "le-conseil-ecarte-sa-directrice"
    assert article.outlet == "La Gazette des tests" and article.published_precision == "day"
    assert "Camille Exemple" in article.note and "gazette.md" in article.note
    assert list(article.passages.values_list("number", "kind", "text")) == [
        (1, "title", "Le conseil écarte sa directrice"),
        (2, "paragraph", "Premier."),
        (3, "paragraph", "Second."),
    ]
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 1
    revision = versions.get().revision
    assert revision.comment == "Source importée"
    assert revision.version_set.count() == 4  # the article and its three passages


@pytest.mark.postgres
def test_a_taken_slug_gets_a_suffix(db):
    ArticleFactory(slug="le-conseil-ecarte-sa-directrice")
    ArticleFactory(slug="le-conseil-ecarte-sa-directrice-2", title="Autre")
    assert save_draft(draft()).slug == "le-conseil-ecarte-sa-directrice-3"


@pytest.mark.postgres
def test_the_same_text_is_refused_and_nothing_written(db):
    first = save_draft(draft())
    again = draft(texts=("Premier.", "  Second. "))  # whitespace aside, the same text
    with pytest.raises(ImportRefused, match="déjà dans l’archive") as refused:
        save_draft(again)
    assert refused.value.existing == first
    assert Article.objects.count() == 1 and Passage.objects.count() == 3


@pytest.mark.postgres
def test_a_document_not_imported_is_recognised_from_its_passages(db):
    story = ArticleFactory()
    PassageFactory(article=story, number=1, text="Premier.")
    PassageFactory(article=story, number=2, text="Second.")
    assert find_duplicate(["Premier.", "Second."]) == story
    assert find_duplicate(["Premier."]) is None
    assert text_digest(["a  b", "c"]) == text_digest(["a b", "", "c"])


@pytest.mark.postgres
def test_a_failure_while_saving_writes_nothing(db, monkeypatch):
    def broken(self, *args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(Passage, "save", broken)
    with pytest.raises(RuntimeError):
        save_draft(draft())
    assert not Article.objects.exists()


def test_a_document_longer_than_one_review_is_refused():
    with pytest.raises(ImportRefused, match="au plus 300"):
        read_text("\n\n".join(f"Paragraphe {n}." for n in range(301)))


@pytest.mark.postgres
def test_the_story_article_pasted_again_is_recognised(story):
    (article,) = Article.objects.all()
    text = "\n\n".join(article.passages.order_by("number").values_list("text", flat=True))
    draft = read_text(text)
    assert find_duplicate([block.text for block in draft.blocks]) == article
    with pytest.raises(ImportRefused, match="déjà dans l’archive"):
        save_draft(draft)
