"""Django's Redis cache, answering "not cached" while Redis is down instead of raising.

Every page reads the cache (Wagtail's site root paths, rate limits, the page cache), so with
Django's own RedisCache a stopped Redis turned every page into a 500. Here a connection failure
is a miss (reads), a write that did not happen (writes) or a missing key (``incr``, which the rate
limiter then counts as the first hit); it is logged at most once every LOG_EVERY_SECONDS per
process. /healthz still sees the outage: its write-then-read check gets nothing back.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: At most one "Redis cache unavailable" warning per process in this many seconds.
LOG_EVERY_SECONDS = 10
_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_logged = 0.0


def _log(error) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= LOG_EVERY_SECONDS:
        _last_logged = now
        logger.warning("Redis cache unavailable, serving without it: %s", error)


def _tolerant(fallback):
    """Run the cache method; while Redis cannot be reached, log and return ``fallback(args)``."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except _UNAVAILABLE as error:
                _log(error)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _missing_key(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (the cache is unavailable)")


class RedisCache(DjangoRedisCache):
    get = _tolerant(lambda key, default=None, *args, **kwargs: default)(DjangoRedisCache.get)
    get_many = _tolerant(lambda keys, *args, **kwargs: {})(DjangoRedisCache.get_many)
    has_key = _tolerant(lambda *args, **kwargs: False)(DjangoRedisCache.has_key)
    add = _tolerant(lambda *args, **kwargs: False)(DjangoRedisCache.add)
    set = _tolerant(lambda *args, **kwargs: None)(DjangoRedisCache.set)
    set_many = _tolerant(lambda data, *args, **kwargs: list(data))(DjangoRedisCache.set_many)
    touch = _tolerant(lambda *args, **kwargs: False)(DjangoRedisCache.touch)
    delete = _tolerant(lambda *args, **kwargs: False)(DjangoRedisCache.delete)
    delete_many = _tolerant(lambda *args, **kwargs: None)(DjangoRedisCache.delete_many)
    incr = _tolerant(_missing_key)(DjangoRedisCache.incr)
    clear = _tolerant(lambda *args, **kwargs: False)(DjangoRedisCache.clear)
