"""One language per URL: French at `/…`, English under `/en/…`; nothing else decides it."""

import re

from django.urls import reverse
from django.utils import translation

STORY = "/sources/que-se-passe-t-il-avec-openai-et-sam-altman/"  # the story article's source page

FIRING = "/events/le-conseil-licencie-sam-altman/"

# Every French address the archive had before English moved under /en/.
FRENCH_PAGES = [
    "/",
    "/events/",
    "/events/?actor=sam-altman",
    "/events/?actor=sam-altman&actor=ilya-sutskever&match=all",
    "/events/?day=2023-11-17&kind=firing",
    "/events/?q=conseil&page=1",
    FIRING,
    "/people/",
    "/people/sam-altman/",
    "/people/sam-altman/?at=2023-11-18T12:00",
    "/organisations/",
    "/organisations/microsoft/",
    "/search/?q=securite",
    "/sources/",
    STORY,
]

UNKNOWN = ["/people/personne-inconnue/", "/organisations/sam-altman/", "/events/nulle-part/"]


def html_lang(response):
    return re.search(r'<html lang="([^"]+)">', response.text).group(1)


def h1(response):
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.text, re.S).group(1).strip()


def language_switch(response):
    return re.findall(r'<a class="language-switch"[^>]*>[^<]*</a>', response.text)


def alternates(response):
    return dict(
        re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', response.text)
    )


def test_the_prefix_is_the_language(client, story):
    french = client.get("/events/")
    assert html_lang(french) == "fr" and h1(french) == "Événements"
    assert french["Content-Language"] == "fr"
    english = client.get("/en/events/")
    assert html_lang(english) == "en" and h1(english) == "Events"
    assert english["Content-Language"] == "en"
    # Links inside an English page stay in English.
    assert 'href="/en/people/"' in english.text and 'href="/en/people/"' not in french.text


def test_reverse_follows_the_active_language(db):
    assert reverse("people:person_detail", kwargs={"slug": "sam-altman"}) == "/people/sam-altman/"
    with translation.override("en"):
        assert reverse("people:person_detail", kwargs={"slug": "sam-altman"}) == (
            "/en/people/sam-altman/"
        )
        assert reverse("home") == "/en/"
        assert reverse("admin:index") == "/admin/"


def nav_events(response):
    return re.search(r'<a href="(/(?:en/)?events/)"[^>]*>([^<]+)</a></li>', response.text).groups()


def test_french_urls_are_unchanged_and_english_ones_mirror_them(client, story):
    for path in FRENCH_PAGES:
        french = client.get(path)
        assert french.status_code == 200, path
        assert html_lang(french) == "fr", path
        assert nav_events(french) == ("/events/", "Événements"), path
        english = client.get("/en" + path)
        assert english.status_code == 200, path
        assert html_lang(english) == "en", path
        assert nav_events(english) == ("/en/events/", "Events"), path


def test_english_text_on_the_pages(client, story):
    assert "Sam Altman" in h1(client.get("/en/people/sam-altman/"))
    assert "Friday, November 17, 2023" in client.get("/en" + FIRING).text
    assert h1(client.get("/en/search/?q=x")) == "Search"
    assert "Drawn from paragraph" in client.get("/en" + STORY).text


def test_unknown_slug_is_a_404_in_both_languages(client, story):
    for path in UNKNOWN:
        french = client.get(path)
        assert french.status_code == 404, path
        assert html_lang(french) == "fr" and h1(french) == "Page introuvable", path
        english = client.get("/en" + path)
        assert english.status_code == 404, path
        assert html_lang(english) == "en" and h1(english) == "Page not found", path


def test_unknown_path_is_a_404_in_the_language_of_its_prefix(client, db):
    assert h1(client.get("/nulle-part/")) == "Page introuvable"
    assert h1(client.get("/en/nowhere/")) == "Page not found"
    assert client.get("/fr/events/").status_code == 404  # French has no prefix


def test_a_missing_slash_redirects_within_the_language(client, db):
    assert client.get("/en")["Location"] == "/en/"
    assert client.get("/en/events")["Location"] == "/en/events/"
    assert client.get("/events")["Location"] == "/events/"


def test_the_switch_is_a_link_to_the_same_page_in_the_other_language(client, story):
    french = client.get("/events/", {"actor": "sam-altman", "kind": "firing"})
    assert language_switch(french) == [
        '<a class="language-switch" href="/en/events/?actor=sam-altman&amp;kind=firing"'
        ' hreflang="en" lang="en">English</a>'
    ]
    english = client.get("/en/people/sam-altman/?at=2023-11-18T12:00")
    assert language_switch(english) == [
        '<a class="language-switch" href="/people/sam-altman/?at=2023-11-18T12:00"'
        ' hreflang="fr" lang="fr">Français</a>'
    ]
    for response in (french, english):
        assert "set_language" not in response.text and "/i18n/" not in response.text
        assert "csrfmiddlewaretoken" not in response.text


def test_the_switch_on_a_404_leads_to_the_other_language(client, db):
    response = client.get("/en/people/personne-inconnue/")
    assert 'href="/people/personne-inconnue/" hreflang="fr"' in language_switch(response)[0]


def test_hreflang_alternates(client, story):
    expected = {
        "fr": "http://testserver/events/?actor=sam-altman&amp;day=2023-11-17",
        "en": "http://testserver/en/events/?actor=sam-altman&amp;day=2023-11-17",
        "x-default": "http://testserver/events/?actor=sam-altman&amp;day=2023-11-17",
    }
    query = {"actor": "sam-altman", "day": "2023-11-17"}
    assert alternates(client.get("/events/", query)) == expected
    assert alternates(client.get("/en/events/", query)) == expected
    assert alternates(client.get("/en/")) == {
        "fr": "http://testserver/",
        "en": "http://testserver/en/",
        "x-default": "http://testserver/",
    }


def test_public_pages_set_no_cookie_and_do_not_vary_on_one(client, story):
    for path in FRENCH_PAGES:
        for url in (path, "/en" + path):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Set-Cookie" not in response.headers, url
            assert not response.cookies, url
            vary = response.headers.get("Vary", "").lower()
            assert "cookie" not in vary and "accept-language" not in vary, url


def test_neither_browser_language_nor_cookie_changes_a_page(client, db):
    by_header = client.get("/events/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert html_lang(by_header) == "fr" and h1(by_header) == "Événements"
    client.cookies["django_language"] = "en"
    by_cookie = client.get("/events/")
    assert html_lang(by_cookie) == "fr" and h1(by_cookie) == "Événements"
    assert by_cookie["Content-Language"] == "fr"
    english = client.get("/en/events/", HTTP_ACCEPT_LANGUAGE="fr")
    assert h1(english) == "Events"


def test_the_admin_follows_the_browser(client, db):
    english = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en"
    assert "accept-language" in english.headers["Vary"].lower()
    assert "Log in" in english.text
    french = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fr")
    assert french["Content-Language"] == "fr"
    assert "Connexion" in french.text
    assert client.get("/en/admin/").status_code == 404


def test_an_old_language_form_post_lands_on_the_english_url(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/events/?kind=hire"})
    assert response.status_code == 302
    assert response["Location"] == "/en/events/?kind=hire"
