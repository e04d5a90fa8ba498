"""Settings come from the environment and fail closed.

Each case starts Django in a subprocess with a clean environment, because settings are read once
per process and the test run's own settings must not leak in.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

#: Loads the settings (and starts Django when {setup}) and prints what a test asks for as JSON.
SCRIPT = """
import json, django
from django.conf import settings
settings.DEBUG
if {setup}:
    django.setup()
{body}
"""


def start_django(
    settings_module: str, tmp_path, body: str = "", *, setup: bool = True, **environment
) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATA_DIR": str(tmp_path / "data"),
        **environment,
    }
    return subprocess.run(  # noqa: S603 -- our own interpreter on our own script
        [sys.executable, "-c", SCRIPT.format(setup=setup, body=body)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_settings(settings_module: str, tmp_path, names: str, **environment) -> dict:
    """The named settings as the process would see them; no database or server is contacted."""
    body = f"print(json.dumps({{name: getattr(settings, name) for name in {names.split()!r}}}, default=str))"
    result = start_django(settings_module, tmp_path, body, setup=False, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = start_django("config.settings.production", tmp_path, ALLOWED_HOSTS="help.example.com")

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = start_django("config.settings.production", tmp_path, SECRET_KEY="s3cret-for-this-test")

    assert result.returncode != 0
    assert "ImproperlyConfigured: ALLOWED_HOSTS must be set" in result.stderr


def test_production_starts_with_a_secret_key_and_allowed_hosts_and_is_locked_down(tmp_path):
    values = read_settings(
        "config.settings.production",
        tmp_path,
        "DEBUG ALLOWED_HOSTS SECURE_SSL_REDIRECT SESSION_COOKIE_SECURE CSRF_COOKIE_SECURE",
        SECRET_KEY="s3cret-for-this-test",
        ALLOWED_HOSTS="help.example.com,www.example.com",
    )

    assert values == {
        "DEBUG": False,
        "ALLOWED_HOSTS": ["help.example.com", "www.example.com"],
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


def test_the_sqlite_database_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    body = """
from django.db import connection
with connection.cursor() as cursor:
    pragmas = {}
    for pragma in ("journal_mode", "busy_timeout", "synchronous"):
        cursor.execute(f"PRAGMA {pragma}")
        pragmas[pragma] = cursor.fetchone()[0]
print(json.dumps({"database": str(connection.settings_dict["NAME"]), **pragmas}))
"""
    result = start_django("config.settings.dev", tmp_path, body)

    assert result.returncode == 0, result.stderr
    pragmas = json.loads(result.stdout.strip().splitlines()[-1])
    assert pragmas == {
        "database": str((tmp_path / "data" / "db.sqlite3").resolve()),
        "journal_mode": "wal",
        "busy_timeout": 30000,
        "synchronous": 1,  # NORMAL: safe with WAL, far fewer fsyncs than FULL
    }


def test_sqlite_transactions_start_immediate_so_concurrent_writers_queue(tmp_path):
    values = read_settings("config.settings.dev", tmp_path, "DATABASES")

    assert values["DATABASES"]["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_switches_to_postgresql(tmp_path):
    values = read_settings("config.settings.dev", tmp_path, "DATABASES", DATABASE_URL="postgres://u:p@h/db")

    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"], database["HOST"]) == ("db", "u", "p", "h")


def test_the_postgresql_driver_is_installed_so_database_url_can_be_used(tmp_path):
    result = start_django("config.settings.dev", tmp_path, DATABASE_URL="postgres://u:p@h/db")

    assert result.returncode == 0, result.stderr.strip().splitlines()[-1]


def test_redis_url_switches_the_channel_layer_and_the_cache_to_redis(tmp_path):
    values = read_settings("config.settings.dev", tmp_path, "CHANNEL_LAYERS CACHES", REDIS_URL="redis://h:6379/0")

    assert values["CHANNEL_LAYERS"]["default"] == {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # Longer than channels_redis's 5 s blocking pop (redis-py 8 defaults to 5 s).
        "CONFIG": {"hosts": [{"address": "redis://h:6379/0", "socket_timeout": 30}]},
    }
    assert values["CACHES"]["default"] == {
        # Django's Redis cache, made to treat an unreachable Redis as a miss (tests/test_faults.py).
        "BACKEND": "sitewide.cache.RedisCache",
        "LOCATION": "redis://h:6379/0",
    }


@pytest.mark.parametrize("settings_module", ["config.settings.dev", "config.settings.production"])
def test_without_redis_the_site_runs_on_one_machine(tmp_path, settings_module):
    values = read_settings(
        settings_module, tmp_path, "CHANNEL_LAYERS CACHES", SECRET_KEY="s3cret-for-this-test", ALLOWED_HOSTS="h"
    )

    assert values["CHANNEL_LAYERS"]["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_whoosh_on_disk_under_data_dir_is_the_default_search_engine(tmp_path):
    values = read_settings("config.settings.dev", tmp_path, "HAYSTACK_CONNECTIONS")

    assert values["HAYSTACK_CONNECTIONS"]["default"] == {
        "ENGINE": "kb.search.backend.MultilingualWhooshEngine",
        "PATH": str(tmp_path / "data" / "whoosh"),
    }


def test_search_url_switches_to_elasticsearch_or_solr(tmp_path):
    elastic = read_settings(
        "config.settings.dev", tmp_path, "HAYSTACK_CONNECTIONS", SEARCH_URL="elasticsearch7://es:9200/helpdesk"
    )
    solr = read_settings(
        "config.settings.dev", tmp_path, "HAYSTACK_CONNECTIONS", SEARCH_URL="solr://solr:8983/solr/helpdesk"
    )

    assert elastic["HAYSTACK_CONNECTIONS"]["default"] == {
        "ENGINE": "haystack.backends.elasticsearch7_backend.Elasticsearch7SearchEngine",
        "URL": "http://es:9200/",
        "INDEX_NAME": "helpdesk",
    }
    assert solr["HAYSTACK_CONNECTIONS"]["default"] == {
        "ENGINE": "haystack.backends.solr_backend.SolrEngine",
        "URL": "http://solr:8983/solr/helpdesk",
    }


def test_an_unknown_search_url_refuses_to_start(tmp_path):
    result = start_django("config.settings.dev", tmp_path, setup=False, SEARCH_URL="sphinx://old:9312/x")

    assert result.returncode != 0
    assert "SEARCH_URL must start with elasticsearch7:// or solr://" in result.stderr


def test_uploaded_media_is_served_without_debug_when_serve_media_is_on(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "forum").mkdir()
    (tmp_path / "forum" / "pixel.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    response = client.get("/media/forum/pixel.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert client.get("/media/../config/settings/base.py").status_code in {400, 404}  # never the file
