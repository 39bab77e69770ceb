"""One settings module, driven by environment variables with safe local defaults.

Production variables are listed in the README; with them set, `manage.py check --deploy`
is clean (a test proves it).
"""

import datetime
import os
import secrets
from pathlib import Path
from urllib.parse import quote

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def load_secret_key():
    """Use DJANGO_SECRET_KEY, else a key generated once into a git-ignored file."""
    key = os.environ.get("DJANGO_SECRET_KEY")
    if key:
        return key
    path = Path(os.environ.get("DJANGO_SECRET_KEY_FILE", BASE_DIR / ".secret_key"))
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(64)
        # O_EXCL: when several gunicorn workers start at once, only one writes the key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


SECRET_KEY = load_secret_key()
DEBUG = env_flag("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # django.contrib.admin, its site reading query strings safely (newsarchive.admin_site).
    "newsarchive.admin_site.ArchiveAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "reversion",
    "axes",
    "csp",
    "core",
    "people",
    "events",
    # The story's words in English, beside the French (editions.models).
    "editions",
    "newsarchive",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Whitenoise, minus the static files manifest (newsarchive.http.staticfiles).
    "newsarchive.http.staticfiles.StaticFilesMiddleware",
    "newsarchive.http.security.ContentSecurityPolicyMiddleware",
    # A NUL in a path, a cookie, or an admin query string or form is a 400 (PostgreSQL text).
    "newsarchive.http.querystrings.RejectNulMiddleware",
    # Around everything that reads the database, the page cache included (the 503 page).
    "newsarchive.http.faults.DatabaseFaultMiddleware",
    # Before sessions, language and CSRF: a cached page or a 304 costs one primary-key read.
    "newsarchive.http.caching.PublicPageCacheMiddleware",
    # Inside the cache: French spaces are set once per rendered page, not per hit.
    "newsarchive.http.typography.FrenchTypographyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "newsarchive.http.language.LanguageFromPathMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: a POST to a page that takes none is a 405, not a CSRF failure.
    "newsarchive.http.methods.MethodNotAllowedMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # English pages: the translations of the records a view declares it shows, in one query.
    "editions.middleware.TranslationsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsarchive.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsarchive.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write transactions take the lock when they begin, so concurrent admin saves queue up
    # (the stale-save check then sees the earlier save) instead of failing as "locked";
    # WAL lets readers go on while one worker writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", init_command="PRAGMA journal_mode=WAL;"
    )
    # Open the file read-write only if it exists (Django opens SQLite names as URIs): a
    # missing database is a 503 until it is back, never a new empty file that every worker
    # then serves. `manage.py migrate` creates it (newsarchive/management/commands/migrate.py).
    _sqlite_name = str(DATABASES["default"]["NAME"])
    if _sqlite_name and _sqlite_name != ":memory:" and not _sqlite_name.startswith("file:"):
        DATABASES["default"]["NAME"] = f"file:{quote(_sqlite_name)}?mode=rw"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caching of public pages (newsarchive.http.caching). Local memory in each process by
# default; Redis from REDIS_URL when several processes or machines should share one cache.
# Entries are keyed on the data version, so they are never stale, only unreachable.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("ARCHIVE_CACHE_PREFIX", "archive"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
ARCHIVE_PAGE_CACHE = env_flag("ARCHIVE_PAGE_CACHE", True)
ARCHIVE_PAGE_CACHE_ALIAS = "default"
ARCHIVE_PAGE_CACHE_TIMEOUT = 60 * 60  # an hour: old versions' entries expire by themselves
# Browsers and shared caches may reuse a page this many seconds before revalidating it
# (a 304 when nothing changed); editors, who carry a session cookie, always get fresh pages.
ARCHIVE_MAX_AGE = int(os.environ.get("ARCHIVE_MAX_AGE", "60"))
# Caching proxies in front (Varnish with xkey: deploy/varnish/default.vcl), comma-separated
# base URLs such as http://127.0.0.1:6081: after each write commits, the keys it touched are
# purged there (newsarchive.http.purging).
ARCHIVE_PURGE_URLS = env_list("ARCHIVE_PURGE_URLS", [])
ARCHIVE_PURGE_TIMEOUT = float(os.environ.get("ARCHIVE_PURGE_TIMEOUT", "2"))
# Set by a deploy to name its release; unset, a fingerprint of the code is used.
ARCHIVE_RELEASE = os.environ.get("ARCHIVE_RELEASE", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French at /…, English under /en/…: the language is in the URL alone, never in a cookie, so
# every public page can be cached and shared as one (newsarchive.http.language).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# The story happens in San Francisco: every time is shown in Pacific time.
TIME_ZONE = "America/Los_Angeles"
USE_TZ = True

STATIC_URL = "static/"
# Tests that serve the archive with gunicorn collect into a folder of their own, side by side.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
STORY_FIXTURES_DIR = BASE_DIR / "fixtures"

LOGIN_URL = "admin:login"

# Editors' sessions: a working day at most, and they end when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login lockout (django-axes; README, "Hardening"): 5 failed logins for one user name, or from
# one address, lock that name or address out for 15 minutes; `manage.py axes_reset` unlocks.
AUTHENTICATION_BACKENDS = [
    "newsarchive.http.lockout.LoginLockoutBackend",  # first, as django-axes requires
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsarchive.http.lockout.lockout_response"
# Behind a reverse proxy, the client's address is the proxy's: set AXES_IPWARE_PROXY_COUNT
# and AXES_IPWARE_META_PRECEDENCE_ORDER for the proxy in front (see django-axes' docs).

CSRF_FAILURE_VIEW = "newsarchive.http.errors.csrf_failure"

# Security headers on everywhere; HTTPS-only settings behind one switch (DJANGO_HTTPS=1).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# django-csp; the admin's pages also allow inline styles (newsarchive.http.security).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True

HTTPS = env_flag("DJANGO_HTTPS")
if HTTPS:
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP, behind the TLS they terminate.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A database fault is logged once by newsarchive.database.faults, not once per request.
    "filters": {"database_faults": {"()": "newsarchive.database.faults.SkipDatabaseFaults"}},
    "loggers": {"django.request": {"filters": ["database_faults"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
