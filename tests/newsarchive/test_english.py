"""The English edition of the shipped story: every page type read in English shows no French
outside an element marked lang="fr"; dates in one English style; translations marked as such;
each English page within the query budget."""

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from events.models import Event
from people.models import Actor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Telltales of French prose: guillemets, the commonest short words, accented letters.
FRENCH = re.compile(
    r"[«»]|\b(?:de la|le|la|les|des|du|une|est|avec|pour|dans|sur|selon|aux?|ce|cette|qui|que)\b"
    r"|\w*[àâçéèêëîïôûùœ]\w*",
    re.I,
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class TextOutsideFrench(HTMLParser):
    """The text nodes of a page (and its <title>, alt and aria-label texts) that are not inside
    an element whose lang is French; scripts and styles left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, French?, hidden from text?)
        self.texts = []

    def french(self):
        return self.stack[-1][1] if self.stack else False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        french = self.french()
        if "lang" in attrs and tag != "html":
            french = (attrs["lang"] or "").startswith("fr")
        for name in ("aria-label", "alt", "title", "placeholder"):
            if attrs.get(name) and not french:
                self.texts.append(attrs[name])
        if tag not in VOID:
            skip = tag in {"script", "style"} or bool(self.stack and self.stack[-1][2])
            self.stack.append((tag, french, skip))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if data.strip() and not self.french() and not bool(self.stack and self.stack[-1][2]):
            self.texts.append(data.strip())


def french_outside_lang_fr(html):
    parser = TextOutsideFrench()
    parser.feed(html)
    parser.close()
    return [text for text in parser.texts if FRENCH.search(text)]


def test_the_detector_finds_unmarked_french_and_respects_lang_fr():
    assert french_outside_lang_fr("<p>Le conseil licencie Sam Altman</p>")
    assert french_outside_lang_fr("<p>The “Invité” badge: « Guest »</p>")
    assert french_outside_lang_fr('<a aria-label="Réunion générale">x</a>')
    assert not french_outside_lang_fr('<p lang="fr">Le conseil <b>licencie</b> Sam</p>')
    assert not french_outside_lang_fr('<div lang="fr"><p>Réunion</p><br><p>générale</p></div>')
    assert french_outside_lang_fr('<div lang="fr"><p lang="en">x</p></div><p>Réunion</p>')
    assert not french_outside_lang_fr("<p>The board fires Sam Altman on Friday.</p>")


def english_pages():
    event = Event.objects.get(slug="le-conseil-licencie-sam-altman")
    return [
        "/en/",
        "/en/events/",
        "/en/events/?actor=sam-altman",
        "/en/events/?actor=sam-altman&actor=employes-d-openai&match=all",
        "/en/events/?day=2023-11-17&kind=firing",
        "/en/events/?claim=reported",
        "/en/events/?q=demission",  # the reader's own words are echoed as typed
        "/en/events/?sort=desc&more=actor",
        *[f"/en{e.get_absolute_url()}" for e in Event.objects.all()],
        *[f"/en{a.get_absolute_url()}" for a in Actor.objects.all()],
        "/en/people/sam-altman/?at=2023-11-18T12:00",
        "/en/organisations/openai/?at=2023-11-18T12:00",
        "/en/people/",
        "/en/organisations/",
        "/en/sources/que-se-passe-t-il-avec-openai-et-sam-altman/",
        "/en/sources/",
        "/en/search/",
        "/en/search/?q=sutskever",
        "/en/search/?q=conseil",
        "/en/search/?q=choque",
        "/en/search/?q=nothing-at-all",
        "/en/disputes/",
        "/en/quotes/",
        "/en/quotes/?speaker=emmett-shear",
        "/en/network/",
        # Error pages and forms in error.
        "/en/no-such-page/",
        "/en/events/no-such-event/",
        "/en/events/?day=2023-13-45",
        "/en/events/?page=99",
        "/en/people/?page=9",
        "/en/people/sam-altman/?at=soon",
        f"/en{event.get_absolute_url()}?unused=1",
    ]


def test_english_pages_carry_no_french_outside_lang_fr(client, story):
    report = {}
    for url in english_pages():
        response = client.get(url)
        assert response.status_code in {200, 400, 404}, url
        assert response["Content-Language"] == "en", url
        found = french_outside_lang_fr(response.content.decode())
        if found:
            report[url] = found[:5]
    assert not report, "\n".join(f"{url}: {texts}" for url, texts in report.items())


def test_the_french_pages_stay_french(client, story):
    page = client.get("/events/le-conseil-licencie-sam-altman/").content.decode()
    assert "Le conseil d’administration licencie Sam Altman" in page
    assert 'class="translation"' not in page and "edition-note" not in page


def test_an_event_in_english(client, story):
    page = client.get("/en/events/greg-brockman-recoit-un-sms-d-ilya/").content.decode()
    assert (
        '<h1><span class="translation" lang="en">'
        "Greg Brockman says he got a text from Ilya Sutskever"
        "</span>"
    ) in page
    assert "<title>Greg Brockman says he got a text from Ilya Sutskever" in page
    # Dated in the one English style, as precise as the data.
    assert "Friday, November\u00a017, 2023, 12:19\u00a0p.m." in page or (
        "Friday, November 17, 2023, 12:19\u00a0p.m." in page
    )
    # The French it was translated from, one click away and marked French.
    assert '<details class="original"><summary>Original French text</summary>' in page
    assert '<p lang="fr">Greg Brockman dit avoir reçu un SMS d’Ilya Sutskever</p>' in page
    assert "Translated from the French sources" in page


def test_quotes_stay_verbatim_with_an_english_translation(client, story):
    page = client.get("/en/people/emmett-shear/").content.decode()
    assert re.search(r'<blockquote lang="fr"><p>« En fin de compte, j’ai senti', page)
    assert (
        '<p class="gloss translation" lang="en">Translation: Ultimately I felt that I had a '
        "duty to help if I could</p>"
    ) in page


def test_roles_and_organisation_names_in_english(client, story):
    page = client.get("/en/organisations/openai/?at=2023-11-18T12:00").content.decode()
    assert '<strong><span class="translation" lang="en">CEO</span></strong>' in page
    assert '<span class="translation" lang="en">OpenAI’s board of directors</span>' in page
    assert "PDG" not in re.sub(r'<(p|span) lang="fr">.*?</\1>', "", page, flags=re.S)
    # The actor facet names organisations in English (the field's suggestions keep the names
    # the filter understands).
    facets = client.get("/en/events/").content.decode()
    assert re.search(r'actor=employes-d-openai[^"]*"[^>]*>(?:<[^>]+>)*OpenAI’s employees<', facets)
    assert not re.search(r'actor=employes-d-openai[^"]*"[^>]*>(?:<[^>]+>)*Employés', facets)


def test_dates_in_one_english_style(client, story):
    home = client.get("/en/").content.decode()
    for day in ("Thursday, November 16, 2023", "Monday, November 20, 2023"):
        assert day in home.replace("\u00a0", " ")
    assert not re.search(r"\b(?:Thursday|Friday|Saturday|Sunday|Monday),? \d+ November", home)
    events = client.get("/en/events/?day=2023-11-18").content.decode().replace("\u00a0", " ")
    assert "Saturday, November 18" in events
    assert not re.search(r"\b\d{1,2} November\b", events)


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/events/",
        "/en/events/?actor=sam-altman",
        "/en/events/le-conseil-licencie-sam-altman/",
        "/en/people/sam-altman/",
        "/en/organisations/openai/?at=2023-11-18T12:00",
        "/en/people/",
        "/en/organisations/",
        "/en/sources/que-se-passe-t-il-avec-openai-et-sam-altman/",
        "/en/sources/",
        "/en/search/?q=sutskever",
        "/en/disputes/",
    ],
)
def test_each_english_page_stays_within_the_query_budget(
    client, story, settings, url, django_assert_max_num_queries
):
    settings.ARCHIVE_PAGE_CACHE = False
    cache.clear()
    # With the data version (page cache), the events list's source facet, and an actor
    # page's latest correction.
    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
