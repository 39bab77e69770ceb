"""Error pages as a reader meets them: styled like the site, in the page's language, within
the Content-Security-Policy, with the right status (400, 403, 404, 405)."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

STYLESHEET = re.compile(r'<link rel="stylesheet" href="[^"]*site\.css"')


def assert_styled_page(response, heading, language):
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Language"] == language
    assert f'<html lang="{language}">' in html
    assert STYLESHEET.search(html), "the site's stylesheet"
    assert f"<h1>{heading}</h1>" in html
    # Nothing the policy would block: no inline style or script, and the policy is sent.
    assert "style=" not in html and "<style" not in html and "<script" not in html
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_a_public_page_answers_405_to_a_method_it_does_not_take(client, method):
    response = getattr(client, method)("/events/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert_styled_page(response, "Méthode non permise", "fr")
    assert f"la requête {method.upper()} n’y est pas acceptée" in response.content.decode()


@pytest.mark.parametrize("path", ["/robots.txt", "/sitemap.xml", "/feeds/events.atom"])
def test_read_only_function_views_answer_405_too(path):
    # Function views that would answer any method: a POST with a token still gets a 405.
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "k" * 32
    response = client.post(path, {"csrfmiddlewaretoken": "k" * 32})

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert_styled_page(response, "Méthode non permise", "fr")


def test_the_405_page_is_english_under_en(client):
    response = client.post("/en/people/", {"q": "x"})

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert_styled_page(response, "Method not allowed", "en")


def test_a_post_with_a_csrf_token_gets_405_too(client):
    # Even a genuine form post: the home page takes none.
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/", {"csrfmiddlewaretoken": "x"})
    assert response.status_code == 405


def test_a_failed_csrf_check_is_a_styled_403_in_the_page_language():
    client = Client(enforce_csrf_checks=True)

    # The language switch endpoint still takes POSTs from old pages; this one has no token.
    response = client.post("/i18n/setlang/", {"language": "en"})

    assert response.status_code == 403
    assert_styled_page(response, "Accès refusé", "fr")
    assert "Le formulaire envoyé n’a pas pu être vérifié" in response.content.decode()


def test_a_failed_csrf_check_on_the_admin_login_is_styled_too():
    client = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})

    response = client.post("/admin/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "The form you sent could not be verified" in html
    assert "style=" not in html


def test_an_unknown_host_gets_the_styled_400_page(client):
    response = client.get("/events/", headers={"Host": "attacker.example"})

    assert response.status_code == 400
    assert_styled_page(response, "Requête incorrecte", "fr")
    assert "attacker.example" not in response.content.decode()


def test_an_unknown_host_under_en_gets_the_english_400_page(client):
    response = client.post("/en/events/", headers={"Host": "attacker.example"})

    assert response.status_code == 400
    assert_styled_page(response, "Bad request", "en")


def test_an_unknown_page_is_still_the_styled_404(client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert_styled_page(response, "Page not found", "en")


def test_the_admin_still_takes_posts(client):
    # The 405 is for pages that take no POST: the admin's login form still answers its form.
    response = client.post("/admin/login/", {"username": "nobody", "password": "wrong"})

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
