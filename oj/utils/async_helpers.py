"""Cache access for async views (Task 4).

The plan wraps the sync cache API in ``sync_to_async``; these helpers use Django's
native async cache API instead (``cache.aget`` / ``aset`` / ``adelete``). For the
bundled backends (local memory, Redis) that is the same single hop to the request's
thread-sensitive executor, but a backend with real async support needs none, and in
neither case does a sync ``cache.get`` block the event loop for a Redis round trip.
"""

from django.core.cache import cache


async def async_cache_get(key, default=None):
    return await cache.aget(key, default)


async def async_cache_set(key, value, timeout=None):  # noqa: ASYNC109 (expiry)
    return await cache.aset(key, value, timeout)


async def async_cache_delete(key):
    return await cache.adelete(key)


class AsyncCacheMixin:
    """Views reach the cache through these methods, so the legacy variant can swap
    in the sync calls it started from (``oj.utils.legacy``) without copying views."""

    async def cache_get(self, key, default=None):
        return await async_cache_get(key, default)

    async def cache_set(self, key, value, timeout=None):  # noqa: ASYNC109
        return await async_cache_set(key, value, timeout)

    async def cache_delete(self, key):
        return await async_cache_delete(key)
