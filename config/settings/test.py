"""Tests: fast hashing, in-memory email, and a Whoosh index in a temporary directory per run."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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
# A file database (per xdist worker), not SQLite's shared in-memory one: threads in tests (the
# live server, concurrent publishes) then get real separate connections with WAL and busy
# timeouts, as in production, instead of shared-cache table locks.
DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
# Most tests write as new members and expect their posts to appear; the tests of holding first
# posts for approval turn it on themselves.
FORUM_HOLD_FIRST_POSTS = 0
