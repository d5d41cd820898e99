"""BackCare settings: the environment read, and the apps wired together. Every variable has a
development default (production sets DJANGO_DEBUG=0 and must then give DJANGO_SECRET_KEY); the
README's configuration table says what each does. A number no environment sets lives by its code.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from backcare.databases import database
from backcare.environment import env_bool, env_int, env_list, load_env_file
from backcare.security import CONTENT_SECURITY_POLICY
from operations.logging_config import logging_config
from pagecache.caches import caches
from pagecache.release import current_release

BASE_DIR = Path(__file__).resolve().parent.parent

# The file BACKCARE_ENV_FILE names (bin/manage: /etc/backcare/env) first, so a command typed on
# the server sees what the services see; a variable already set wins (NAME=value bin/manage …).
if os.environ.get("BACKCARE_ENV_FILE"):
    load_env_file(os.environ["BACKCARE_ENV_FILE"], into=os.environ)

# --- Core -------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off BackCare refuses to start without a "
            "secret key: generate one with `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# The public address, for links in e-mails and wherever no request gives one.
SITE_URL = os.environ.get("BACKCARE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Before the admin, so its admin classes and field widgets win.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so its collectstatic (which also writes nginx's 429 page) wins.
    "backcare.nginx_pages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Exercise search's stored vectors on PostgreSQL (exercises.search); inert on SQLite.
    "django.contrib.postgres",
    "django.contrib.humanize",  # allauth's passkey list (mfa/webauthn/authenticator_list.html) loads it
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    # Providers are switched on by adding a "Social application" in the admin: no keys in code.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.twitter_oauth2",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "backcare",
    "accounts",
    "operations",
    "pagecache",
    "bilingual",
    "akismet_service",
    "safety",
    "comments",
    "exercises",
    "classes",
    "mailing",
]

MIDDLEWARE = [
    # /healthz, before the host check and the HTTPS redirect: probed by IP on loopback.
    "operations.health.HealthCheckMiddleware",
    # Pages anyone may be sent go gzipped when gunicorn serves alone, never one with a secret
    # (backcare/compression.py); above the page cache, so its hits are compressed too.
    "backcare.compression.CompressPublicPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise and the page cache: static files and replayed pages get them too.
    "backcare.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pagecache.middleware.PublicPageCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Django's, but a session the database cannot save is dropped, not a 500.
    "operations.sessions.FaultTolerantSessionMiddleware",
    # The URL alone decides the language, so a cache keyed by URL never mixes the two.
    "bilingual.languages.UrlLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # On admin pages, the language the signed-in login chose (after the login is known).
    "accounts.admin_language.AdminLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A staff session idle longer than STAFF_SESSION_IDLE_SECONDS is ended.
    "accounts.staff_sessions.StaffIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Editors without a second factor are sent to add one (BACKCARE_REQUIRE_MFA_FOR_EDITORS).
    "accounts.sign_in.SecondFactorForEditorsMiddleware",
    # Provider sign-in: its page's form may go to the provider; a provider that is down gets a message.
    "accounts.provider_sign_in.ProviderSignInMiddleware",
    # A public form posted while the database is unreachable: a 503 page keeping every field.
    "operations.database_outage.KeepThePostMiddleware",
    # Outermost of ours on the way out: pages the comments tag personalised become private.
    "comments.middleware.PrivateWhenPersonalisedMiddleware",
]

ROOT_URLCONF = "backcare.urls"
WSGI_APPLICATION = "backcare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backcare.context_processors.site",
                "bilingual.context_processors.languages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# var/ is not in git: `make` creates it (install), never the settings.
SQLITE_PATH = BASE_DIR / "var" / "backcare.sqlite3"
if not os.environ.get("DATABASE_URL") and not DEBUG:
    # Never the development file in production: a `migrate` once migrated an empty one.
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. With DJANGO_DEBUG off BackCare refuses to use the development SQLite "
        "file: on the server run commands as `bin/manage …`, which reads /etc/backcare/env "
        "(docs/deploying.md), or set DATABASE_URL."
    )
DATABASES = {
    "default": database(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        pool=env_bool("DATABASE_POOL", not DEBUG),
        pool_max=env_int("DATABASE_POOL_MAX", 8),
        pool_timeout=env_int("DATABASE_POOL_TIMEOUT", 10),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
# REDIS_URL: pages, fragments and PDFs, evictable. REDIS_LIMITS_URL (default REDIS_URL): every
# rate limit's counters, in a Redis that never evicts (deploy/redis/limits.conf).
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_LIMITS_URL = os.environ.get("REDIS_LIMITS_URL", "") or REDIS_URL
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.1"))  # to connect, and for each answer
CACHES = caches(pages_url=REDIS_URL, limits_url=REDIS_LIMITS_URL, timeout=REDIS_TIMEOUT)
CACHE_RETRY_SECONDS = float(os.environ.get("CACHE_RETRY_SECONDS", "2"))
# Whole anonymous pages (pagecache/): each view says @shared_page, each app what retires them.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600)
PAGE_CACHE_BROWSER_SECONDS = env_int("PAGE_CACHE_BROWSER_SECONDS", 60)
BENCH_FLOOR = env_bool("BACKCARE_BENCH_FLOOR", False)
# The longest a cached page can outlive a change saved while Redis could not be told, in a
# process that saw nothing of the outage: shorter than any outage that could hide a change.
PAGE_CACHE_RECONCILE_SECONDS = env_int("PAGE_CACHE_RECONCILE_SECONDS", 2 if REDIS_URL else 0)

# --- Tasks ------------------------------------------------------------------
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}

# --- E-mail -----------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "BackCare <hello@backcare.example.org>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = env_list("DJANGO_ADMINS", [])
MANAGERS = env_list("DJANGO_MANAGERS", ADMINS)
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            # Django's SMTP, with EMAIL_BOUNCE_ADDRESS as the envelope sender.
            "BACKEND": "mailing.backends.BounceAddressBackend",
            "OPTIONS": {
                "bounce_address": os.environ.get("EMAIL_BOUNCE_ADDRESS", ""),
                "host": os.environ["EMAIL_HOST"],
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    # The console: readable bodies in development; Django's own in production, so that
    # `check --deploy` warns no mail would leave.
    MAILERS = {
        "default": {
            "BACKEND": "operations.devmail.ReadableConsoleBackend"
            if DEBUG
            else "django.core.mail.backends.console.EmailBackend"
        }
    }

# --- Authentication ---------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Sign-in (accounts/sign_in.py says why each of these is so). The admin's login page hands over
# to allauth's (backcare/urls.py), so staff get its rate limits, lockout and second factor.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.sign_in.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.sign_in.LoginForm"}
SOCIALACCOUNT_ADAPTER = "accounts.sign_in.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[BackCare] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("ACCOUNT_LOGIN_FAILED_LIMIT", "20/15m/ip,5/15m/key"),
}
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 5
# OpenID Connect sign-in always sends a PKCE challenge (RFC 9700); the test provider requires it.
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "BackCare"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # passkeys on plain http only on this machine
BACKCARE_REQUIRE_MFA_FOR_EDITORS = env_bool("BACKCARE_REQUIRE_MFA_FOR_EDITORS", False)
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 2 * 3600)

# --- Language and time ------------------------------------------------------
# English at /, Welsh under /cy/ (backcare/urls.py, bilingual/languages.py).
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
# Ours; Welsh for the admin strings Django's Welsh lacks, and for allauth's, which has none (README).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "admin", BASE_DIR / "locale" / "allauth"]
# Bare domains in comments ("example.org/page") become https:// links (Django 7's default).
URLIZE_ASSUME_HTTPS = True
# Welsh dates as Welsh readers write them: "Dydd Mercher 25 Tachwedd 2026, 7:00 yh".
FORMAT_MODULE_PATH = ["backcare.formats"]
# Content fields in both languages; an empty Welsh field shows the English text (lang="en").
MODELTRANSLATION_DEFAULT_LANGUAGE = "en-gb"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en-gb",)
# Slugs are made from the English title, whichever language the editor types first.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names need `collectstatic`; development and tests serve the sources.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The release this process runs (pagecache/release.py), part of every cached page's key.
try:
    BACKCARE_RELEASE = current_release(
        environ=os.environ, base_dir=BASE_DIR, locale_paths=LOCALE_PATHS, static_root=STATIC_ROOT
    )
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_PERMISSIONS = 0o644

# --- Security ---------------------------------------------------------------
# Content-Security-Policy, Cross-Origin-Resource-Policy and Permissions-Policy: backcare/security.py.
SECURE_CSP = CONTENT_SECURITY_POLICY
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 0 if DEBUG else 1)
if env_bool("DJANGO_BEHIND_PROXY", not DEBUG):
    # gunicorn sits behind nginx, which sets this header (deploy/nginx/backcare.conf).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Forms ------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging ----------------------------------------------------------------
# The console (the journal); ERROR records of Django's loggers are also mailed to DJANGO_ADMINS.
LOGGING = logging_config(level=os.environ.get("DJANGO_LOG_LEVEL", "INFO"))
DEFAULT_EXCEPTION_REPORTER_FILTER = "operations.errors.SecretsHiddenFilter"
EMAIL_SUBJECT_PREFIX = "[BackCare] "

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from operations.errors import start_sentry

    start_sentry(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", ""),
        release=os.environ.get("SENTRY_RELEASE", ""),
    )

# --- Backups ----------------------------------------------------------------
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "var" / "backups"))
BACKUP_KEEP = env_int("BACKUP_KEEP", 7)
RESTIC_REPOSITORY = os.environ.get("RESTIC_REPOSITORY", "")
RESTIC_PASSWORD_FILE = os.environ.get("RESTIC_PASSWORD_FILE", "")
BACKUP_OFFSITE_RETENTION = os.environ.get("BACKUP_OFFSITE_RETENTION", "--keep-daily 7 --keep-weekly 4")
BACKUP_OFFSITE_WARNING_HOURS = env_int("BACKUP_OFFSITE_WARNING_HOURS", 26)

# --- Exercises --------------------------------------------------------------
EXERCISES_MAX_PICTURE_PIXELS = int(os.environ.get("EXERCISES_MAX_PICTURE_PIXELS", 24_000_000))
BACKCARE_PRACTICE = {
    "name": os.environ.get("BACKCARE_PRACTICE_NAME", "BackCare"),
    "place": os.environ.get("BACKCARE_PRACTICE_PLACE", "Aberystwyth, Ceredigion"),
    "email": os.environ.get("BACKCARE_PRACTICE_EMAIL", "hello@backcare.example.org"),
}
HANDOUT_CACHE_SECONDS = int(os.environ.get("HANDOUT_CACHE_SECONDS", 7 * 24 * 3600))
ROUTINE_PDF_CACHE_SECONDS = int(os.environ.get("ROUTINE_PDF_CACHE_SECONDS", 24 * 3600))

# --- Comments ---------------------------------------------------------------
# Akismet reads PYTHON_AKISMET_API_KEY and PYTHON_AKISMET_BLOG_URL itself (akismet_service/api.py).
AKISMET_TIMEOUT = float(os.environ.get("PYTHON_AKISMET_TIMEOUT", "3"))
AKISMET_IS_TEST = env_bool("AKISMET_IS_TEST", False)
AKISMET_API_URL = os.environ.get("AKISMET_API_URL", "")
COMMENTS_MODERATORS = env_list("COMMENTS_MODERATORS", MANAGERS)
COMMENTS_NOTIFY_AUTHOR = env_bool("COMMENTS_NOTIFY_AUTHOR", True)
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 0) or None
COMMENTS_HOLD_FIRST_TIME = env_bool("COMMENTS_HOLD_FIRST_TIME", True)
COMMENTS_HOLD_LINKS = env_int("COMMENTS_HOLD_LINKS", 2)
COMMENTS_MODERATION_WORDS = env_list("COMMENTS_MODERATION_WORDS", [])
COMMENTS_FORM_MIN_SECONDS = env_int("COMMENTS_FORM_MIN_SECONDS", 5)
COMMENTS_FORM_MAX_AGE = env_int("COMMENTS_FORM_MAX_AGE", 2 * 24 * 3600)
COMMENTS_FORM_TOKEN_WINDOW = env_int("COMMENTS_FORM_TOKEN_WINDOW", 600)
COMMENTS_FORM_CLOCK_SKEW = env_int("COMMENTS_FORM_CLOCK_SKEW", 2)
COMMENTS_FLOOD_SECONDS = env_int("COMMENTS_FLOOD_SECONDS", 15)
COMMENTS_KEEP_IP_DAYS = env_int("COMMENTS_KEEP_IP_DAYS", 60)
COMMENTS_KEEP_SPAM_DAYS = env_int("COMMENTS_KEEP_SPAM_DAYS", 15)
COMMENTS_KEEP_DISCARD_DAYS = env_int("COMMENTS_KEEP_DISCARD_DAYS", 1)
COMMENTS_KEEP_TRASH_DAYS = env_int("COMMENTS_KEEP_TRASH_DAYS", 30)

# --- Classes ----------------------------------------------------------------
CLASSES_ENQUIRY_RATE_LIMIT = env_int("CLASSES_ENQUIRY_RATE_LIMIT", 5)
CLASSES_ENQUIRY_KEEP_IP_DAYS = env_int("CLASSES_ENQUIRY_KEEP_IP_DAYS", 60)
CLASSES_ENQUIRY_KEEP_DAYS = env_int("CLASSES_ENQUIRY_KEEP_DAYS", 365)
CLASSES_ALERT_RATE_LIMIT = env_int("CLASSES_ALERT_RATE_LIMIT", 5)
