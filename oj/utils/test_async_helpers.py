from django.test import SimpleTestCase, override_settings

from oj.utils.async_helpers import (
    async_cache_delete,
    async_cache_get,
    async_cache_set,
)


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "async-helper-tests",
        }
    }
)
class AsyncCacheHelperTests(SimpleTestCase):
    async def test_async_cache_round_trip(self):
        await async_cache_set("async:key", {"value": 1}, 30)
        value = await async_cache_get("async:key")
        self.assertEqual(value, {"value": 1})

    async def test_async_cache_delete(self):
        await async_cache_set("async:delete", "present", 30)
        await async_cache_delete("async:delete")
        value = await async_cache_get("async:delete")
        self.assertIsNone(value)
