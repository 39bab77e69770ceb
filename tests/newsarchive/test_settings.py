"""Settings read from the environment: safe local defaults, clean `check --deploy` in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SECRET_KEY": "x7!" + "k" * 30 + "Qz9-" + "m" * 30,
    "DJANGO_ALLOWED_HOSTS": "archive.example.org",
    "DJANGO_HTTPS": "1",
}


def run_manage(*args, env=None, tmp_path=None):
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    environ["DJANGO_SETTINGS_MODULE"] = "newsarchive.settings"
    if tmp_path is not None:
        environ["DJANGO_SECRET_KEY_FILE"] = str(tmp_path / "secret")
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_the_https_switch(tmp_path):
    env = {**PRODUCTION, "DJANGO_HTTPS": "0"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr + result.stdout


def test_debug_is_off_unless_asked_and_a_secret_key_is_generated_once(tmp_path):
    show = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"
    first = run_manage("shell", "--no-imports", "-c", show, tmp_path=tmp_path)
    second = run_manage("shell", "--no-imports", "-c", show, tmp_path=tmp_path)
    debug, key = first.stdout.split()
    assert debug == "False"
    assert len(key) >= 50 and second.stdout.split()[1] == key
    secret = tmp_path / "secret"
    assert secret.read_text() == key
    assert oct(secret.stat().st_mode & 0o777) == "0o600"
    debug_on = run_manage(
        "shell", "--no-imports", "-c", show, env={"DJANGO_DEBUG": "1"}, tmp_path=tmp_path
    )
    assert debug_on.stdout.split()[0] == "True"


def test_local_files_are_ignored_by_git():
    local = [".secret_key", "db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm", ".venv/"]
    result = subprocess.run(
        ["git", "check-ignore", *local],
        cwd=ROOT,
        capture_output=True,
    )
    assert result.returncode == 0
    assert len(result.stdout.decode().split()) == len(local)


def directives(policy):
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


# The policy the project always sent; django-csp must send exactly this, in any order.
POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


@pytest.mark.django_db
def test_public_pages_get_the_whole_policy_and_no_inline_code(client):
    for path in ("/", "/en/events/", "/no-such-page/"):
        assert directives(client.get(path)["Content-Security-Policy"]) == POLICY, path


@pytest.mark.django_db
def test_the_admin_alone_also_allows_inline_styles(client):
    policy = directives(client.get("/admin/login/")["Content-Security-Policy"])
    assert policy == {**POLICY, "style-src": "'self' 'unsafe-inline'"}


def test_migrate_creates_a_missing_sqlite_database_and_nothing_else_does(tmp_path):
    database = tmp_path / "archive.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}"}
    connect = "from django.db import connection; connection.ensure_connection()"

    refused = run_manage("shell", "--no-imports", "-c", connect, env=env, tmp_path=tmp_path)
    assert refused.returncode != 0
    assert "unable to open database file" in refused.stderr
    assert not database.exists()

    migrated = run_manage("migrate", "--noinput", env=env, tmp_path=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    assert f"Creating the SQLite database {database}" in migrated.stdout
    assert database.stat().st_size > 0
    again = run_manage("migrate", "--noinput", env=env, tmp_path=tmp_path)
    assert "Creating" not in again.stdout


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_database_url_selects_the_database(tmp_path):
    show = (
        "from django.conf import settings; "
        "d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    )
    sqlite = run_manage("shell", "--no-imports", "-c", show, tmp_path=tmp_path)
    # Opened read-write only if the file exists (see the SQLite tests below).
    assert sqlite.stdout.split() == [
        "django.db.backends.sqlite3",
        f"file:{ROOT / 'db.sqlite3'}?mode=rw",
    ]
    pg = run_manage(
        "shell",
        "--no-imports",
        "-c",
        show,
        env={"DATABASE_URL": "postgres:///archive"},
        tmp_path=tmp_path,
    )
    assert pg.stdout.split() == ["django.db.backends.postgresql", "archive"]
