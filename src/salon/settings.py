"""Salon's only settings module.

Everything a deployment may change is read from the environment (documented in the README);
the defaults make a fresh clone run on SQLite inside ``SALON_DATA_DIR``.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from salon.core.private import open_private, private_dir, private_file

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default)


# The data dir holds the database, the secret key and the cache: 0700, its private files 0600.
DATA_DIR = private_dir(Path(os.environ.get("SALON_DATA_DIR") or Path.cwd() / "var").resolve())

DEBUG = env_bool("SALON_DEBUG", False)


def _secret_key():
    """The secret key: from the environment, or generated once and kept in the data dir.

    A generated key survives restarts (sessions and signed links stay valid) and never
    leaves the data dir, which is the one place a deployment must back up anyway.
    """
    from_env = os.environ.get("SALON_SECRET_KEY", "").strip()
    if from_env:
        if len(from_env) < 32 and not DEBUG:
            raise ImproperlyConfigured("SALON_SECRET_KEY must be at least 32 characters long.")
        return from_env
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        key = key_file.read_text().strip()
        if key:
            return key
    key = secrets.token_urlsafe(50)
    with open_private(key_file) as fh:
        fh.write(key)
    return key


SECRET_KEY = _secret_key()
# Former keys, still accepted for what they signed (sessions, the links in mail sent before a
# rotation) but never used to sign: see "Rotating the secret key" in SECURITY.md.
SECRET_KEY_FALLBACKS = env_list("SALON_SECRET_KEY_FALLBACKS", [])

SITE_URL = os.environ.get("SALON_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SALON_SITE_NAME = os.environ.get("SALON_SITE_NAME", "Salon")
# The blog's icon: an address (https://…, /media/…) or the path of an image file on this machine;
# empty: Salon's own (salon/site/icon.py).
SALON_SITE_ICON = os.environ.get("SALON_SITE_ICON", "").strip()

_site_netloc = SITE_URL.split("://", 1)[-1].split("/", 1)[0]
_site_host = _site_netloc.split(":", 1)[0]
ALLOWED_HOSTS = env_list("SALON_ALLOWED_HOSTS", [_site_host, "127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = [SITE_URL]
# Reverse proxies in front of Salon (IP addresses or networks): their X-Forwarded-For is
# believed; nobody else's (salon.core.client_ip).
SALON_TRUSTED_PROXIES = env_list("SALON_TRUSTED_PROXIES", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "reversion",
    "salon.core",
    "salon.languages",
    "salon.blog",
    "salon.conversations",
    "salon.search",
    "salon.similar",
    "salon.feeds",
    "salon.reader",
    "salon.webmention",
    "salon.portability",
    "salon.federation",
    "salon.media",
    "salon.accounts",
    "salon.studio",
    "salon.pagecache",
    # Last: the roof (setup commands, the site context, the favicon), which may use every app.
    "salon.site",
]

MIDDLEWARE = [
    # First: X-Forwarded-Proto (and -Host) only from a trusted proxy, before anything reads it.
    "salon.core.middleware.TrustedProxyMiddleware",
    # A NUL character in the path: 400 before any lookup by path (PostgreSQL refuses NUL).
    "salon.core.middleware.NulPathMiddleware",
    # Then kept pages the same for every anonymous reader, answered without the stack below
    # (it replays the headers the stack gave them, the CSP included); see
    # salon/pagecache/early.py.
    "salon.pagecache.early.EarlyHitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy of every page, kept ones included (salon.core.csp).
    "salon.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Responses the page cache did not compress (signed-in pages, the admin), with
    # Django's random gzip padding against BREACH; see salon/pagecache/responses.py.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Second factors (salon.accounts): the session's verified device, then one rule for every
    # staff page (the admin, /write/, /desk/…): give it once per session when one is set up.
    "django_otp.middleware.OTPMiddleware",
    "salon.accounts.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # "database is locked" after the write timeout: a 503 with Retry-After, not a 500.
    "salon.core.middleware.BusyDatabaseMiddleware",
    # Link: rel="webmention" on HTML pages; 410 Gone at deleted posts' addresses (after a 404).
    "salon.webmention.middleware.WebmentionMiddleware",
    "salon.blog.middleware.OldUrlRedirectMiddleware",
    # Sign-in lock-out (django-axes): the lock-out page instead of the login form's answer.
    "axes.middleware.AxesMiddleware",
    # ActivityPub clients get JSON at the actor's and posts' addresses (never the page cache's
    # HTML), and pages say Vary: Accept; before the page cache so it never keeps their JSON.
    "salon.federation.middleware.ActivityPubMiddleware",
    # Last: whole pages for anonymous readers (it keeps what the view answered).
    "salon.pagecache.middleware.PageCacheMiddleware",
]

ROOT_URLCONF = "salon.urls"
WSGI_APPLICATION = "salon.wsgi.application"

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
                "salon.site.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in the data dir unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'salon.sqlite3'}"
    )
}
# Persistent connections: each server thread keeps its own for ten minutes, checked before
# reuse (CONN_HEALTH_CHECKS) so a restarted database costs one failed query nowhere. On
# PostgreSQL a new connection per request (authentication, a backend process forked) cost more
# than most pages' queries; on SQLite, opening one (the file, the PRAGMAs below, Django's forty
# SQL functions registered) and closing it costs about 1 ms, half of a page whose fragments are
# kept. A restore writes into the live file (the backup API), so kept connections see it.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("SALON_DB_CONN_MAX_AGE", "600"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE transactions take the write lock up
    # front, so a transaction never has to upgrade a read lock (the classic source of
    # "database is locked" that busy_timeout cannot help with); the timeout makes writers queue.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
    _sqlite_file = Path(str(DATABASES["default"]["NAME"]))
    if _sqlite_file.parent.is_dir() and not str(_sqlite_file).startswith((":memory:", "file:")):
        # Created 0600 before SQLite opens it: SQLite keeps that mode and gives it to the -wal
        # and -shm files it makes beside it (those left by an older Salon are tightened too).
        private_file(_sqlite_file)
        for _companion in (f"{_sqlite_file}-wal", f"{_sqlite_file}-shm"):
            if os.path.exists(_companion):
                private_file(_companion)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# Content-Security-Policy (salon.core.csp): the site's own scripts and styles only, no inline
# script or style (a staff page's unavoidable one carries request.csp_nonce), no plugins, no
# framing of the site; frames only from the origins an app declares (allow_frames_from).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        # Posts show images and media from anywhere (imported posts keep their addresses).
        "img-src": ["'self'", "https:", "http:", "data:"],
        "media-src": ["'self'", "https:", "http:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Sign-in throttling (salon.accounts.lockout): failures counted per account and per address
# (salon.core.client_ip), a lock-out that ends by itself, the author told by mail.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
SALON_LOGIN_FAILURES = int(os.environ.get("SALON_LOGIN_FAILURES", "5"))
SALON_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("SALON_LOGIN_LOCKOUT_MINUTES", "15"))
AXES_FAILURE_LIMIT = SALON_LOGIN_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=SALON_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "salon.accounts.lockout.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "salon.accounts.lockout.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Second factors (salon.accounts): TOTP with recovery codes (django-otp), passkeys as a second
# factor only (django-otp-webauthn), the relying party being the host signed in at.
OTP_TOTP_ISSUER = SALON_SITE_NAME
OTP_WEBAUTHN_RP_ID_CALLABLE = "salon.accounts.passkeys.rp_id"
OTP_WEBAUTHN_RP_NAME_CALLABLE = "salon.accounts.passkeys.rp_name"
OTP_WEBAUTHN_HELPER_CLASS = "salon.accounts.passkeys.Helper"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# What the library's check reads; the origins accepted are the site's and the request's own
# (salon.accounts.passkeys.Helper): browsers allow passkeys over https, and on localhost.
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"https://{_site_netloc}"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Interface languages: the UI speaks French and English (English is the source language).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("SALON_TIME_ZONE", "UTC")

# Content languages: the languages posts are written in, in order of preference.
SALON_LANGUAGES = env_list("SALON_LANGUAGES", ["fr", "en"])

# The blog's description (meta description of rivers and of pages without their own): one for
# every interface language, or one per language with SALON_SITE_DESCRIPTION_FR, _EN…
SALON_SITE_DESCRIPTION = os.environ.get("SALON_SITE_DESCRIPTION", "").strip()
SALON_SITE_DESCRIPTIONS = {
    code: os.environ.get(f"SALON_SITE_DESCRIPTION_{code.upper()}", "").strip()
    for code, _name in LANGUAGES
}

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from the finders too; it wants the folder.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names with gzip copies (salon/site/staticfiles.py), collected by `bootstrap` and
    # `run --production`; the plain names under SALON_DEBUG (and in the tests).
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "salon.site.staticfiles.Storage"
        )
    },
}
# The apps' folders too: a checkout serves its stylesheet before anything is collected.
WHITENOISE_USE_FINDERS = True


def _static_file_headers(headers, path, url):
    """Hashed names (WhiteNoise marks them immutable) are kept a year, the longest HTTP asks
    caches to honour, and never revalidated; plain names keep WhiteNoise's minute."""
    if "immutable" in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = "public, max-age=31536000, immutable"


WHITENOISE_ADD_HEADERS_FUNCTION = _static_file_headers

# `salon run --production` (gunicorn's threaded worker): processes and threads per process. One
# process per core uses every core for cached pages; threads overlap database waits.
SALON_WEB_WORKERS = int(os.environ.get("SALON_WEB_WORKERS", "0")) or os.cpu_count() or 2
SALON_WEB_THREADS = int(os.environ.get("SALON_WEB_THREADS", "4"))
# The background worker's CPU niceness (0 to 19; see core/priority.py): deliveries, indexes and
# mail yield the cores to readers' requests when both want them (a fan-out during a boost).
SALON_WORKER_NICE = os.environ.get("SALON_WORKER_NICE", "19")

# Cache: Redis when SALON_CACHE_URL says so, otherwise a file cache in the data dir
# (shared between the web processes and the worker, unlike a per-process memory cache).
_cache_url = os.environ.get("SALON_CACHE_URL", "")
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            # Several sites (or test runs) may share one Redis: each its own prefix.
            "KEY_PREFIX": os.environ.get("SALON_CACHE_KEY_PREFIX", "salon"),
        }
    }
elif _cache_url == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            # Room for the kept pages of a blog of some size in both interface languages (the
            # default 300 would drop them all the time); the backend lists its folder at each
            # write to count entries: about 3 ms at this size.
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }

# Whether every process reads the same cache (files, Redis). Pieces of pages kept in each
# process's memory (salon.core.fragments) are exact only under a generation every process reads:
# with a per-process memory cache a change saved by the worker or a command would not reach them.
SALON_CACHE_SHARED = _cache_url != "locmem://"

# Whole pages kept for anonymous readers, in seconds (0: off). Off by default with SALON_DEBUG
# (templates change under one's feet) and with a per-process memory cache: a change saved by
# the worker or a command could not make the web processes' pages stale.
SALON_PAGE_CACHE_SECONDS = int(
    os.environ.get("SALON_PAGE_CACHE_SECONDS", "0" if DEBUG or not SALON_CACHE_SHARED else "600")
)

# Static publishing (salon/pagecache/publish.py): a folder where every kept page the same for
# all anonymous readers is also written as a file for a front server (empty: off).
SALON_STATIC_PUBLISH_DIR = os.environ.get("SALON_STATIC_PUBLISH_DIR", "").strip()

# Background work: Django's Tasks framework (django-tasks backport), stored in the database
# and run by `salon worker` (django-tasks-db's db_worker).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("SALON_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Mail: SMTP to SALON_EMAIL_HOST, or the backend SALON_EMAIL_BACKEND names. With neither set,
# mail is not configured: the development server (`salon run`, or SALON_DEBUG) prints it to its
# console, and `salon check` warns (salon.W001) instead of letting it fail at localhost:25.
SALON_MAIL_CONFIGURED = bool(
    os.environ.get("SALON_EMAIL_HOST", "").strip()
    or os.environ.get("SALON_EMAIL_BACKEND", "").strip()
)
EMAIL_HOST = os.environ.get("SALON_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SALON_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SALON_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SALON_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SALON_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("SALON_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
EMAIL_BACKEND = os.environ.get("SALON_EMAIL_BACKEND", "").strip() or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not SALON_MAIL_CONFIGURED
    else "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("SALON_DEFAULT_FROM_EMAIL", f"salon@{_site_host}")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SALON_AUTHOR_EMAIL = os.environ.get("SALON_AUTHOR_EMAIL", "")
# The interface language of the author's notification mail (empty: the blog's first language
# the interface speaks).
SALON_AUTHOR_LANGUAGE = os.environ.get("SALON_AUTHOR_LANGUAGE", "")

# Outbound HTTP (salon.net): private addresses are refused unless allowed here.
SALON_NET_ALLOW_LOOPBACK = env_bool("SALON_NET_ALLOW_LOOPBACK", False)
SALON_NET_ALLOW_PRIVATE = env_bool("SALON_NET_ALLOW_PRIVATE", False)

# The media library (salon.media): widths of the renditions made on upload (never upscaled),
# the largest file and the most pixels an upload may have.
SALON_MEDIA_WIDTHS = [int(w) for w in env_list("SALON_MEDIA_WIDTHS", ["480", "960", "1600"])]
SALON_MEDIA_MAX_BYTES = int(os.environ.get("SALON_MEDIA_MAX_BYTES", str(20 * 1024 * 1024)))
SALON_MEDIA_MAX_PIXELS = int(os.environ.get("SALON_MEDIA_MAX_PIXELS", str(50_000_000)))

SALON_POSTS_PER_PAGE = int(os.environ.get("SALON_POSTS_PER_PAGE", "10"))

# Similar posts (salon.similar): how many are shown at the end of a post. The scoring weights
# have defaults in salon/similar/conf.py; any change needs `salon similar rebuild`.
SALON_SIMILAR_POSTS = int(os.environ.get("SALON_SIMILAR_POSTS", "5"))

# Conversations (comments, moderation, follow-up mail): see the README's Configuration table.
SALON_COMMENTS_MODERATION = os.environ.get("SALON_COMMENTS_MODERATION", "first-time")
SALON_COMMENTS_MAX_DEPTH = int(os.environ.get("SALON_COMMENTS_MAX_DEPTH", "5"))
SALON_COMMENTS_MAX_LINKS = int(os.environ.get("SALON_COMMENTS_MAX_LINKS", "2"))
SALON_COMMENTS_MIN_SECONDS = float(os.environ.get("SALON_COMMENTS_MIN_SECONDS", "3"))
SALON_COMMENTS_RATE_LIMIT = os.environ.get("SALON_COMMENTS_RATE_LIMIT", "5/60")
SALON_SPAM_RETENTION_DAYS = int(os.environ.get("SALON_SPAM_RETENTION_DAYS", "30"))

# Feeds out (salon.feeds): items per feed, and the author named in feeds (never an e-mail).
SALON_FEED_ITEMS = int(os.environ.get("SALON_FEED_ITEMS", "20"))
SALON_AUTHOR_NAME = os.environ.get("SALON_AUTHOR_NAME", "") or SALON_SITE_NAME

# Webmention and the author's h-card (salon.webmention): the author's address (default: the
# home page) and photo; Webmentions accepted per source host ("20/60": 20 per 60 s, or "off").
SALON_AUTHOR_URL = os.environ.get("SALON_AUTHOR_URL", "")
SALON_AUTHOR_PHOTO = os.environ.get("SALON_AUTHOR_PHOTO", "")
SALON_WEBMENTION_RATE_LIMIT = os.environ.get("SALON_WEBMENTION_RATE_LIMIT", "20/60")

# ActivityPub (salon.federation): the handle (user, or user@host; default from the author's
# name at the site's host), former accounts (alsoKnownAs, comma-separated URLs), activities
# accepted per remote server (count/seconds or off), and deliveries made at once by a fan-out.
SALON_FEDIVERSE_HANDLE = os.environ.get("SALON_FEDIVERSE_HANDLE", "").strip()
SALON_FEDIVERSE_ALSO_KNOWN_AS = env_list("SALON_FEDIVERSE_ALSO_KNOWN_AS", [])
SALON_FEDERATION_RATE_LIMIT = os.environ.get("SALON_FEDERATION_RATE_LIMIT", "300/60")
SALON_FEDERATION_CONCURRENCY = int(os.environ.get("SALON_FEDERATION_CONCURRENCY", "8"))

# Feed reader and group challenges (salon.reader): how often each followed feed is checked,
# how many feeds are fetched at once, and the time and size allowed for one feed.
SALON_READER_INTERVAL = int(os.environ.get("SALON_READER_INTERVAL", "3600"))
SALON_READER_CONCURRENCY = int(os.environ.get("SALON_READER_CONCURRENCY", "8"))
SALON_READER_TIMEOUT = float(os.environ.get("SALON_READER_TIMEOUT", "15"))
SALON_READER_MAX_BYTES = int(os.environ.get("SALON_READER_MAX_BYTES", str(5 * 1024 * 1024)))

# Production security (salon.core.middleware.TrustedProxyMiddleware, SECURITY.md): a site
# whose address is https gets secure cookies, HSTS and a redirect of plain http; behind a
# reverse proxy that ends TLS, its X-Forwarded-Proto is believed only from SALON_TRUSTED_PROXIES
# (the middleware drops the header from anyone else).
SALON_HTTPS = SITE_URL.startswith("https://")
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
if SALON_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if SALON_HTTPS and not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SALON_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SALON_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SALON_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SALON_HSTS_PRELOAD", False)
    # Subdomains and the preload list are the operator's choice (the two settings above), not
    # an oversight: `check --deploy` does not nag about them once chosen.
    SILENCED_SYSTEM_CHECKS = [
        *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SALON_LOG_LEVEL", "WARNING")},
    "loggers": {
        "salon": {
            "handlers": ["console"],
            "level": os.environ.get("SALON_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}
