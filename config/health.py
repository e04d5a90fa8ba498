"""GET /healthz: is each part the site depends on answering? 200 when all are, 503 otherwise."""

import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from haystack import connections as search_connections
from haystack.query import SearchQuerySet

from kb.search.backend import MultilingualWhooshSearchBackend


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def check_search_index() -> dict:
    engine = settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"].rsplit(".", 1)[-1]
    backend = search_connections["default"].get_backend()
    if isinstance(backend, MultilingualWhooshSearchBackend):  # the table of contents, not every document
        if not backend.setup_complete or not backend.index_exists():
            # A missing index where the site has content raises SearchIndexMissing; on a site
            # with nothing to search yet, an empty index is created (proving the path works).
            backend.setup()
        with backend.index.searcher_in_use() as searcher:
            backend.refuse_empty_index(searcher)
            documents = searcher.doc_count()
    else:  # a distributed engine answers a count cheaply
        documents = SearchQuerySet(using="default").count()
    return {"ok": True, "engine": engine, "documents": documents}


def check_channel_layer() -> dict:
    layer = get_channel_layer()
    if layer is None:
        return {"ok": False, "error": "no channel layer configured"}

    async def round_trip():
        channel = await layer.new_channel("healthz.")
        token = uuid.uuid4().hex
        await layer.send(channel, {"type": "healthz.ping", "token": token})
        message = await layer.receive(channel)
        return message.get("token") == token

    return {"ok": bool(async_to_sync(round_trip)()), "backend": type(layer).__name__}


def check_cache() -> dict:
    """A write and a read of the shared cache (page cache, rate limits); names the backend, never its URL."""
    token = uuid.uuid4().hex
    key = f"healthz:ping:{token}"  # one key per check: concurrent checks must not read each other's
    cache.set(key, token, timeout=10)
    ok = cache.get(key) == token
    cache.delete(key)
    report = {"ok": ok, "backend": type(caches["default"]).__name__}
    if not ok:  # the Redis cache answers "not cached" while Redis is down (sitewide.cache)
        report["error"] = "the cache did not return what was written to it"
    return report


CHECKS = {
    "database": check_database,
    "search_index": check_search_index,
    "channel_layer": check_channel_layer,
    "cache": check_cache,
}


@never_cache
@require_GET
def healthz(request):
    report = {}
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as error:  # a health check reports failures instead of raising them
            report[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    healthy = all(part["ok"] for part in report.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **report}, status=200 if healthy else 503)
