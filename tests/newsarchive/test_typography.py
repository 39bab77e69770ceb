"""French typography on every page (newsarchive.http.typography) and « de » before a name."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from events.templatetags.french import de, french_de
from newsarchive.http.typography import french_typography
from tests.factories import EventFactory, OrganisationFactory, PersonFactory

NNBSP, NBSP = "\u202f", "\u00a0"


def test_spaces_before_high_punctuation_and_inside_guillemets():
    html = '<html lang="fr"><p>Que se passe-t-il ? «Oui» ; enfin ! Source : l\'article</p></html>'
    assert french_typography(html) == (
        f'<html lang="fr"><p>Que se passe-t-il{NNBSP}? «{NBSP}Oui{NBSP}»{NNBSP}; '
        f"enfin{NNBSP}! Source{NBSP}: l’article</p></html>"
    )


def test_tags_attributes_urls_scripts_and_preformatted_text_are_left_alone():
    html = (
        '<html lang="fr"><a href="/events/?q=a ?&amp;b=1" title="Quoi ?">Quoi ?</a>'
        "<script>a ? b : c;</script><style>a:hover{}</style><pre>x : y</pre>"
        "<p>À 12:19 sur https://example.org &amp; co</p></html>"
    )
    out = french_typography(html)
    assert 'href="/events/?q=a ?&amp;b=1" title="Quoi ?"' in out
    assert f">Quoi{NNBSP}?</a>" in out
    assert "<script>a ? b : c;</script><style>a:hover{}</style><pre>x : y</pre>" in out
    assert "À 12:19 sur https://example.org &amp; co" in out


def test_only_french_text_is_changed():
    html = '<html lang="en"><p>Why ? <span lang="fr">Pourquoi ?</span> Note : x</p></html>'
    assert french_typography(html, "en") == (
        f'<html lang="en"><p>Why ? <span lang="fr">Pourquoi{NNBSP}?</span> Note : x</p></html>'
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ilya Sutskever", "d’Ilya Sutskever"),
        ("Sam Altman", "de Sam Altman"),
        ("OpenAI", "d’OpenAI"),
        ("Y Combinator", "de Y Combinator"),
        ("Équipe de direction d’OpenAI", "de l’Équipe de direction d’OpenAI"),
        ("Conseil d’administration d’OpenAI", "du Conseil d’administration d’OpenAI"),
        ("Employés d’OpenAI", "des Employés d’OpenAI"),
    ],
)
def test_de_elides_and_takes_the_article(name, expected):
    assert french_de(name) == expected
    with translation.override("fr"):
        assert de(name) == expected


def test_de_in_english():
    with translation.override("en"):
        assert de("Ilya Sutskever") == "of Ilya Sutskever"


def test_pages_carry_the_spaces_and_elisions(db):
    # Django's own client: the suite's `client` reads these spaces as plain ones.
    client = Client()
    ilya = PersonFactory(name="Ilya Sutskever")
    team = OrganisationFactory(name="Équipe de direction d’OpenAI")
    event = EventFactory(actors=[ilya, team])
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Tous les événements d’Ilya Sutskever" in page
    assert "Tous les événements de l’Équipe de direction d’OpenAI" in page
    assert "de Ilya" not in page and "de Équipe" not in page
    page = client.get(reverse("events:event_list") + "?actor=ilya-sutskever").content.decode()
    assert f"Filtres actifs{NBSP}:" in page
    assert "Filtres actifs :" not in page
