"""Tests: fast hashing, in-memory email, and a Whoosh index in a temporary directory per run."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Mail lands in django.core.mail.outbox at once, not in the database outbox that production and
# development use (tests/test_email_outbox.py turns that one on).
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
DATA_DIR = Path(tempfile.mkdtemp(prefix="support-test-data-"))  # noqa: F405
MEDIA_ROOT = DATA_DIR / "media"
WHOOSH_INDEX_PATH = DATA_DIR / "whoosh"
HAYSTACK_CONNECTIONS["default"]["PATH"] = str(WHOOSH_INDEX_PATH)  # noqa: F405
ACCOUNT_RATE_LIMITS = False
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests change rows directly and read the same addresses again: the page cache is on only in the
# tests of it (tests/test_page_cache.py, tests/test_run_prod.py).
PAGE_CACHE_SECONDS = 0
# A file database (per xdist worker), not SQLite's shared in-memory one: threads in tests (the
# live server, concurrent publishes) then get real separate connections with WAL and busy
# timeouts, as in production, instead of shared-cache table locks.
# With DATABASE_URL (`pytest --postgres`, tests/postgres.py) the test database is PostgreSQL's own.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
# Most tests write as new members and expect their posts to appear; the tests of holding first
# posts for approval turn it on themselves.
FORUM_HOLD_FIRST_POSTS = 0
