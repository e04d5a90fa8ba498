"""Settings shared by every environment, read from the process environment.

Non-secret values default to the least permissive choice; secrets have no default here
(dev and test provide throwaway ones, production refuses to start without them).
Every variable is listed in .env.example.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


#: Everything the site writes lives under DATA_DIR: the SQLite database, the search index, media.
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "data")).resolve()
#: Third-party data (GNOME Help, COVID-QA, Stack Exchange) used for the demo site and benchmarks.
CORPORA_DIR = Path(os.environ.get("CORPORA_DIR", BASE_DIR.parent / "shared" / "corpora")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    # Our apps, lowest layer first:
    # sitewide <- accounts <- kb <- support <- forum <- customer_voice <- customer_council;
    # stories stands on kb beside customer_council.
    "sitewide",
    "accounts",
    "kb",
    "support",
    "forum",
    "customer_voice",
    "customer_council",
    "stories",
    "demo",
    # Public search (haystack) goes before Wagtail: both define update_index, and the haystack
    # commands (update_index, rebuild_index) must win. Wagtail's stays as wagtail_update_index.
    "haystack",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    # The article body's table block (its editor scripts and styles).
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Accounts, realtime
    "allauth",
    "allauth.account",
    "channels",
    "django_htmx",
    # Content-Security-Policy (its system checks; sitewide.csp.SiteCSPMiddleware writes the header).
    "csp",
    # The email outbox (django-mailer): see the Email section below.
    "mailer",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response the site renders: the public policy, or the
    # admin's own under CSP_ADMIN_PATH_PREFIXES (see the Security section below).
    "sitewide.csp.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.reader: who is asking, for every service (after session, locale and auth).
    "sitewide.middleware.ReaderMiddleware",
    # Public article, category and topic pages for anonymous readers from the shared cache.
    "sitewide.page_cache.PageCacheMiddleware",
    # A council member whose term ended or who owes a new agreement is shut out before any view runs.
    "customer_council.access.CouncilAccessMiddleware",
    # Council pages and documents: Cache-Control private, no-store and X-Robots-Tag noindex.
    "customer_council.privacy.ConfidentialResponseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "kb.context_processors.site_chrome",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# --- Database -------------------------------------------------------------------------------
# PostgreSQL when DATABASE_URL is set; otherwise SQLite under DATA_DIR in WAL mode, with a busy
# timeout and IMMEDIATE transactions so concurrent writers queue instead of failing with
# "database is locked".
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and channel layer ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Django's RedisCache, but Redis down means "not cached" rather than a 500 (sitewide.cache).
    CACHES = {"default": {"BACKEND": "sitewide.cache.RedisCache", "LOCATION": REDIS_URL}}
    # channels_redis waits for messages with a blocking pop of up to 5 s; redis-py 8 cuts every read
    # after 5 s unless told otherwise, which tore down each websocket left idle that long.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30}]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
#: How long the page cache (sitewide.page_cache) keeps a public page for anonymous readers; writes
#: invalidate it at once, this bounds what a write by another process shows without Redis. 0: off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))

# --- Search ---------------------------------------------------------------------------------
# Whoosh on disk under DATA_DIR by default. The index stays in step with publishing through
# explicit calls from the publishing code (see kb.search), not haystack's save signals, which
# would also index unpublished drafts.
WHOOSH_INDEX_PATH = Path(os.environ.get("WHOOSH_INDEX_PATH", DATA_DIR / "whoosh")).resolve()
#: SEARCH_URL switches to a distributed engine that haystack supports:
#: elasticsearch7://host:9200/index-name (needs the elasticsearch 7 client installed) or
#: solr://host:8983/solr/core-name (needs pysolr). Unset: Whoosh on disk under DATA_DIR.
SEARCH_URL = os.environ.get("SEARCH_URL", "")
_search_scheme, _search_separator, _search_location = SEARCH_URL.partition("://")
if _search_scheme == "elasticsearch7":
    _search_host, _search_separator, _search_index = _search_location.partition("/")
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "haystack.backends.elasticsearch7_backend.Elasticsearch7SearchEngine",
            "URL": f"http://{_search_host}/",
            "INDEX_NAME": _search_index or "support",
        }
    }
elif _search_scheme == "solr":
    HAYSTACK_CONNECTIONS = {
        "default": {"ENGINE": "haystack.backends.solr_backend.SolrEngine", "URL": f"http://{_search_location}"}
    }
elif SEARCH_URL:
    raise ImproperlyConfigured(f"SEARCH_URL must start with elasticsearch7:// or solr://, not {SEARCH_URL!r}")
else:
    HAYSTACK_CONNECTIONS = {
        "default": {"ENGINE": "kb.search.backend.MultilingualWhooshEngine", "PATH": str(WHOOSH_INDEX_PATH)}
    }
# Every hit is re-checked against the database (kb.search.visibility), which drops documents of
# unknown types; haystack's own per-search filter on registered models would only add cost.
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False
#: (requests, seconds) per client for cheap-to-abuse endpoints (sitewide.ratelimit).
RATE_LIMITS = {"search": (60, 60), "suggest": (120, 60), "vote": (30, 60), "contact": (10, 600)}
#: Wrong guesses at a password-protected page, per client and restriction (kb.page_passwords).
RATE_LIMITS["page_password"] = (5, 5 * 60)
#: Stories customers propose (stories.views_submissions), per client.
RATE_LIMITS["story_submission"] = (10, 10 * 60)
#: Replies and "mark as solved" on a customer's own request (support.views_requests), per client.
RATE_LIMITS["support_reply"] = (20, 10 * 60)
#: Client addresses never rate-limited: a load balancer's health checks, a benchmark client.
RATE_LIMIT_EXEMPT_ADDRESSES = env_list("RATE_LIMIT_EXEMPT_ADDRESSES")
#: Addresses or networks (CIDR) of the reverse proxies in front of the site. Only a request whose
#: direct peer is one of them has its client address taken from X-Forwarded-For (the right-most
#: entry that is not a trusted proxy; sitewide.ratelimit.client_address). Empty: REMOTE_ADDR.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from None
# Filters combine with AND (haystack's default); the search service itself builds the any-term
# match of a query's words, since customers type whole sentences.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
# Wagtail's own admin search uses the database backend; public search goes through haystack.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Forum ----------------------------------------------------------------------------------
#: Members who are not yet trusted (see forum.services.reputation.is_trusted) may post this many
#: times an hour; their links carry rel="nofollow".
FORUM_NEW_MEMBER_POSTS_PER_HOUR = 10
FORUM_TRUSTED_REPUTATION = 50
FORUM_TRUSTED_AFTER_DAYS = 7
#: Authors may delete their own posts for this long after posting (moderators always).
FORUM_DELETE_WINDOW_HOURS = 24
FORUM_MAX_IMAGE_BYTES = 2 * 1024 * 1024
#: A member's first posts wait for a moderator's approval until this many have been approved
#: (trusted members and moderators are never held; 0 holds nobody).
FORUM_HOLD_FIRST_POSTS = 2
#: A post flagged by this many different members is hidden until a moderator reviews it.
FORUM_AUTO_HIDE_FLAGS = 3
#: A member may flag this many posts an hour.
FORUM_FLAGS_PER_HOUR = 10
RATE_LIMITS["forum_preview"] = (60, 60)
#: Per client, on top of the per-member limits above: saved edits; new topics and replies (which
#: trusted members may otherwise post freely); votes and accepting or clearing an answer.
RATE_LIMITS["forum_edit"] = (30, 10 * 60)
RATE_LIMITS["forum_post"] = (30, 10 * 60)
RATE_LIMITS["forum_vote"] = (60, 60)

# --- Customer advisory council --------------------------------------------------------------
#: Per client: wrong or reused invitation links (like page passwords); new ideas, comments,
#: roadmap and meeting writes; votes, follows and RSVPs; directory profile saves.
RATE_LIMITS["council_join"] = (5, 5 * 60)
RATE_LIMITS["council_post"] = (30, 10 * 60)
RATE_LIMITS["council_vote"] = (60, 60)
RATE_LIMITS["council_profile"] = (30, 10 * 60)
#: Per client: unknown story approval or withdrawal links (stories.consent_views).
RATE_LIMITS["story_approval"] = (5, 5 * 60)

# --- Customer voice (customer_voice) --------------------------------------------------------
#: Relationship NPS asks each customer at most once in this many days (any channel).
VOICE_NPS_INTERVAL_DAYS = int(os.environ.get("VOICE_NPS_INTERVAL_DAYS", "90"))
#: A customer counts as active (may be sent an NPS survey) when seen within this many days.
VOICE_ACTIVE_DAYS = int(os.environ.get("VOICE_ACTIVE_DAYS", "180"))
#: How long a survey link works.
VOICE_SURVEY_LINK_DAYS = int(os.environ.get("VOICE_SURVEY_LINK_DAYS", "30"))
#: A promoter is invited to share a story or a review at most once in this many days.
VOICE_PROMOTER_INVITE_DAYS = int(os.environ.get("VOICE_PROMOTER_INVITE_DAYS", "365"))
#: Fewer answers than this in a segment or month: the report says "too few answers", no score.
VOICE_MIN_ANSWERS = int(os.environ.get("VOICE_MIN_ANSWERS", "30"))
#: First-touch referral cookie lifetime.
VOICE_REFERRAL_COOKIE_DAYS = int(os.environ.get("VOICE_REFERRAL_COOKIE_DAYS", "30"))
#: Where promoters are sent to leave a public review (empty: only the story invitation).
VOICE_REVIEW_URL = os.environ.get("VOICE_REVIEW_URL", "")
#: Per client: survey answers, unknown survey or unsubscribe links, referral clicks.
RATE_LIMITS["voice_answer"] = (20, 10 * 60)
RATE_LIMITS["voice_link"] = (10, 5 * 60)
RATE_LIMITS["voice_referral_click"] = (30, 60)

# --- Accounts (django-allauth) --------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.password_validation.MaximumLengthValidator"},
]
#: allauth's rate limits count per client address as sitewide.ratelimit reads it (trusted proxies).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
#: Our signup subclasses allauth's (display name, referral source, newsletter consent, language);
#: every form an email address enters through normalises it and refuses look-alikes.
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "add_email": "accounts.forms.AddEmailForm",
    "change_email": "accounts.forms.ChangeEmailForm",
}
#: allauth shows this name in its messages and emails; never the email address.
ACCOUNT_USER_DISPLAY = "accounts.models.public_name"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{os.environ.get('SITE_NAME', 'Help Center')}] "
#: Links in mail are confirmed by a POST from the page they open, so mail scanners that follow
#: links cannot verify an address on the owner's behalf.
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
#: A signup with an address that already has an account shows the same "check your inbox" page
#: and mails the owner instead of saying "taken": the site never tells strangers who is a member.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "signup": "20/m/ip", "reset_password": "20/m/ip,5/m/key"}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# Wagtail's private pages send visitors to our login (LocaleMiddleware adds the language prefix).
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("fa", _("Persian")),
    ("he", _("Hebrew")),
]
#: Native names for the language switcher: a reader looks for their own language's name.
LANGUAGE_NATIVE_NAMES = {"en": "English", "ru": "Русский", "fa": "فارسی", "he": "עברית"}
#: Where a language without help articles (in the help center, a topic, the feeds) borrows them
#: from, in order (kb.languages). A language not listed falls back to LANGUAGE_CODE.
LANGUAGE_FALLBACKS = {"ru": ["en"], "fa": ["en"], "he": ["en"]}
#: Customer council (customer_council): how long an invitation link works, and how many days
#: before a term ends the member and the managers are reminded to renew.
COUNCIL_INVITATION_DAYS = int(os.environ.get("COUNCIL_INVITATION_DAYS", "14"))
COUNCIL_RENEWAL_REMINDER_DAYS = int(os.environ.get("COUNCIL_RENEWAL_REMINDER_DAYS", "30"))
#: Customer stories (stories.services.consent): how long a customer's approval link works, and
#: who hears of a withdrawn or expired consent (empty: the Editors and Moderators groups).
STORY_APPROVAL_DAYS = int(os.environ.get("STORY_APPROVAL_DAYS", "14"))
STORIES_NOTIFY_EMAIL = os.environ.get("STORIES_NOTIFY_EMAIL", "")
#: Any edit of a page in a workflow (a story awaiting its customer) needs every task's approval again.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static_collected"
STATIC_URL = "/static/"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
#: Without DEBUG, whether Django itself serves MEDIA_ROOT (one machine, no web server in front).
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Email ----------------------------------------------------------------------------------
# Every mail goes through an outbox: send_mail() stores it in the database (django-mailer's
# DbBackend) and `manage.py run_outbox` hands it to the real backend, retrying with backoff while
# the mail server is down, so an SMTP outage never fails a request nor loses a mail.
EMAIL_BACKEND = "mailer.backend.DbBackend"
#: The backend that really sends (the EMAIL_BACKEND variable names it).
MAILER_EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
#: Seconds before a stalled mail server gives up, so the outbox never waits on it for long.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
#: run_outbox holds its own lock (sitewide.outbox.Outbox.only_sender): one that a killed process
#: cannot leave behind, unlike django-mailer's lock file.
MAILER_USE_FILE_LOCK = False
#: The log of sent mail keeps who, when and the result, not the bodies (ticket replies stay private).
MAILER_EMAIL_LOG_MESSAGE_DATA = False
#: A message the server keeps refusing is retried this many times (about 8 hours with the backoff).
MAILER_EMAIL_MAX_RETRIES = 50
#: The longest wait, in seconds, between two tries of a mail server that is down or of refused mail.
OUTBOX_MAX_BACKOFF = int(os.environ.get("OUTBOX_MAX_BACKOFF", "600"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Support <support@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
#: Where new-ticket notifications go (support.tickets); the team's shared inbox.
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "support@localhost")

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Help Center")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
#: Documents are served by Wagtail's view, which checks collection privacy (the council's
#: pre-reads), never by redirecting to a public storage URL; config.urls refuses media/documents/.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": True, "PRIVATE_LOGIN": True}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
#: No page may be framed, except the admin's by the admin itself (sitewide.csp.SiteCSPMiddleware).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
#: Content-Security-Policy of the public site (django-csp). No inline script, no inline style,
#: no eval: every script and stylesheet is a file under /static/. Live updates open a websocket
#: to this host ('self' covers it in current browsers; the ws:/wss: origin of BASE_URL is named
#: for older ones). Articles may embed YouTube or Vimeo videos (kb.blocks, Wagtail embeds).
_site_scheme, _site_separator, _site_rest = WAGTAILADMIN_BASE_URL.partition("://")
_websocket_origin = ("wss://" if _site_scheme == "https" else "ws://") + _site_rest.split("/", 1)[0]
CSP_VIDEO_FRAME_SOURCES = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'", _websocket_origin],
        "frame-src": ["'self'", *CSP_VIDEO_FRAME_SOURCES],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        # Wagtail's preview panel frames our pages, but from /admin/, whose policy says 'self'.
        "frame-ancestors": ["'none'"],
    }
}
#: Wagtail's admin (and the page previews it renders under /admin/) runs inline scripts and
#: styles and shows images and embeds from anywhere an editor pasted them: its own, looser policy,
#: still closed to plugins, foreign <base> and form targets, and framing by other sites.
CSP_ADMIN_PATH_PREFIXES = ["/admin/"]
CSP_ADMIN_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    "media-src": ["'self'", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", _websocket_origin],
    "frame-src": ["'self'", *CSP_VIDEO_FRAME_SOURCES],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Wagtail logs every publish at INFO; an import of hundreds of articles would drown the output.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
