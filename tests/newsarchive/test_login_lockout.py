"""The admin login locks out after 5 failures, by user name and by address (django-axes); the
lockout page is in the admin's look; editors see lockouts in the admin; sessions are short."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "mot-de-passe-test"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    # Every failed login hashes a password: the default hasher would make this file slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("redaction", "r@example.org", PASSWORD)


def browser(address="203.0.113.7", language="fr"):
    return Client(REMOTE_ADDR=address, headers={"Accept-Language": language})


def log_in(client, username="redaction", password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def fail(client, times, username="redaction"):
    """`times` wrong passwords: the login form again each time, the lockout page at the 5th."""
    for attempt in range(1, times + 1):
        status = log_in(client, username, "mauvais").status_code
        assert status == (429 if attempt >= settings.AXES_FAILURE_LIMIT else 200), attempt


def test_five_wrong_passwords_lock_the_account_out_even_with_the_right_one(editor):
    client = browser()
    fail(client, 4)
    assert log_in(client).status_code == 302  # four failures: still allowed

    other = browser(address="203.0.113.8")
    fail(other, 5)
    response = log_in(other)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    html = response.content.decode()
    assert "Connexion bloquée" in html
    assert "Trop de tentatives de connexion ont échoué (5 au plus)" in html
    assert "Vous pourrez réessayer dans 15 minutes." in html
    assert "sessionid" not in response.cookies


def test_the_lockout_page_has_the_admins_look_and_the_browsers_language(editor):
    client = browser(language="en")
    fail(client, 5)

    response = log_in(client)

    html = response.content.decode()
    assert response.status_code == 429
    assert 'id="site-name"' in html and "admin/css/base.css" in html
    assert "<h1>Login locked</h1>" in html
    assert "You can try again in 15 minutes." in html


def test_one_address_is_locked_out_whatever_the_user_name(editor):
    client = browser()
    for number in range(5):
        log_in(client, f"inconnu{number}", "mauvais")

    assert log_in(client).status_code == 429
    # Another address still gets in.
    assert log_in(browser(address="198.51.100.1")).status_code == 302


def test_one_user_name_is_locked_out_whatever_the_address(editor):
    for number in range(5):
        log_in(browser(address=f"198.51.100.{number}"), "redaction", "mauvais")

    assert log_in(browser(address="192.0.2.99")).status_code == 429


def test_the_lockout_ends_after_the_cool_off(editor):
    client = browser()
    fail(client, 5)
    assert log_in(client).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))

    assert log_in(client).status_code == 302


def test_axes_reset_unlocks_at_once(editor):
    client = browser()
    fail(client, 5)
    assert log_in(client).status_code == 429

    call_command("axes_reset", verbosity=0)

    assert log_in(client).status_code == 302


def test_editors_see_lockouts_in_the_admin(editor):
    fail(browser(address="203.0.113.50"), 5, username="intrus")
    client = Client()
    client.force_login(editor)

    response = client.get("/admin/axes/accessattempt/")

    assert response.status_code == 200
    assert "intrus" in response.content.decode()
    assert "203.0.113.50" in response.content.decode()


def test_an_editors_session_ends_with_the_browser_and_after_eight_hours(editor):
    client = browser()
    response = log_in(client)

    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 60 * 60


def test_the_test_clients_login_still_works(editor):
    # authenticate() without a request is not a web login: nothing to count or lock.
    client = Client()
    assert client.login(username="redaction", password=PASSWORD)
    assert client.get("/admin/").status_code == 200
