"""The shared cache: Django's own Redis backend, which keeps working in one process's memory while Redis is down.

allauth keeps its login and password-reset limits in the cache. With the plain RedisCache an unreachable Redis
makes every login answer 500. Here a connection error is logged as a warning and the operation runs on a
local-memory cache of this process instead, for `RETRY_AFTER` seconds before Redis is tried again, so that a
Redis outage costs one short timeout per process and not one per request. Logging in keeps working, and the
limits still hold, per process, until Redis is back. `/health/` reports the real state (`is_reachable`).
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _falling_back(name: str):
    def method(self, *args, **kwargs):
        if time.monotonic() >= self._redis_down_until:
            try:
                return getattr(super(FallbackRedisCache, self), name)(*args, **kwargs)
            except UNREACHABLE as error:
                self._redis_down_until = time.monotonic() + self.RETRY_AFTER
                logger.warning(
                    "Cache: Redis does not answer (%s); this process uses its own memory for %d s",
                    error,
                    self.RETRY_AFTER,
                )
        return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class FallbackRedisCache(RedisCache):
    RETRY_AFTER = 10

    def __init__(self, server, params):
        super().__init__(server, params)
        # The same key prefix, version and timeout as the Redis cache, so that callers see no difference.
        self._fallback = LocMemCache(f"redis-fallback:{server}", params)
        self._redis_down_until = 0.0

    add = _falling_back("add")
    get = _falling_back("get")
    set = _falling_back("set")
    touch = _falling_back("touch")
    delete = _falling_back("delete")
    get_many = _falling_back("get_many")
    has_key = _falling_back("has_key")
    incr = _falling_back("incr")
    set_many = _falling_back("set_many")
    delete_many = _falling_back("delete_many")
    clear = _falling_back("clear")

    def is_reachable(self) -> bool:
        """Asks Redis itself, never the fallback."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except UNREACHABLE:
            return False
