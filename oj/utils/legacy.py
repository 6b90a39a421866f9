"""What the already-async views looked like before the plan: the legacy variant.

Mixed into thin subclasses of the hardened views (``<app>/views/legacy.py``) so the
handlers are written once; only the three things the plan fixed are put back.
"""

from django.core.cache import cache


class PlanStartingPoint:
    # Task 2 "before": detail queries load no relations, so the serializer's
    # created_by / user / problem are fetched lazily, on the event loop.
    detail_select_related = ()

    async def async_serialize_data(self, object_serializer, data, **kwargs):
        # Task 3 "before": serializer .data ran directly on the event loop.
        return self.serialize_data(object_serializer, data, **kwargs)

    # Task 4 "before": the sync cache API inside async views. Nothing stops these
    # on the loop, and with Redis each is a network round trip that blocks every
    # request the loop serves.
    async def cache_get(self, key, default=None):
        return cache.get(key, default)

    async def cache_set(self, key, value, timeout=None):  # noqa: ASYNC109
        cache.set(key, value, timeout)

    async def cache_delete(self, key):
        cache.delete(key)
