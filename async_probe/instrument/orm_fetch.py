"""Lazy loads on Django 6.1+: every single-valued lazy load goes through
``FetchMode.fetch(fetcher, instance)``. Wrapping ``fetch`` on each built-in mode
sees them all and leaves the mode's own behaviour (one row, all peers at once,
or FieldFetchBlocked) exactly as the user chose it.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.fetch_modes import FetchOne, FetchPeers, FetchRaise
from django.db.models.fields.related_descriptors import (
    ForwardManyToOneDescriptor,
    ForwardOneToOneDescriptor,
    ReverseOneToOneDescriptor,
)
from django.db.models.query_utils import DeferredAttribute

from ..collector import _scopes
from ..faults import fault
from ._patching import PatchSet
from .orm import fetching, on_lazy_load

_gfk_descriptor: Any = None


def _generic_descriptor() -> Any:
    global _gfk_descriptor
    if _gfk_descriptor is None:
        if apps.is_installed("django.contrib.contenttypes"):
            from django.contrib.contenttypes.fields import GenericForeignKeyDescriptor

            _gfk_descriptor = GenericForeignKeyDescriptor
        else:
            _gfk_descriptor = ()
    return _gfk_descriptor


def classify(fetcher: Any, instance: Any) -> tuple[str, str] | None:
    """``(field, kind)`` for a fetch that will run a query, else None."""
    if isinstance(fetcher, ForwardManyToOneDescriptor):
        field = fetcher.field
        if (
            isinstance(fetcher, ForwardOneToOneDescriptor)
            and field.remote_field.parent_link
        ):
            # A multi-table parent is built from the child's own columns unless
            # some of them are deferred.
            columns = {
                f.attname for f in field.remote_field.model._meta.concrete_fields
            }
            if not columns & instance.get_deferred_fields():
                return None
        return field.name, "forward"
    if isinstance(fetcher, ReverseOneToOneDescriptor):
        return fetcher.related.get_accessor_name(), "reverse_one_to_one"
    if isinstance(fetcher, DeferredAttribute):
        return fetcher.field.attname, "deferred"
    generic = _generic_descriptor()
    if generic and isinstance(fetcher, generic):
        gfk = fetcher.field
        ct_field = gfk.model._meta.get_field(gfk.ct_field)
        if getattr(instance, ct_field.attname, None) is None:
            return None
        return gfk.name, "generic"
    return None


def _wrap(original: Any) -> Any:
    def fetch(self: Any, fetcher: Any, instance: Any) -> Any:
        scopes = _scopes.get()
        if not scopes:
            return original(self, fetcher, instance)
        try:
            what = classify(fetcher, instance)
        except Exception as exc:
            fault("orm.fetch_mode", exc)
            what = None
        if what is None:
            return original(self, fetcher, instance)
        via = on_lazy_load(scopes, instance, *what)
        if via is None:  # no origin to hand on (counting without callsites)
            return original(self, fetcher, instance)
        return fetching(via, lambda: original(self, fetcher, instance))

    fetch.__wrapped__ = original  # type: ignore[attr-defined]
    return fetch


def patch(patches: PatchSet) -> None:
    for mode in (FetchOne, FetchPeers, FetchRaise):
        patches.patch(mode, "fetch", _wrap(mode.__dict__["fetch"]))
