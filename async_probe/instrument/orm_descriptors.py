"""Lazy loads on Django 5.2 / 6.0, which have no fetch modes: wrap the related
descriptors at the point where each one decides to query.

Each wrapper checks what the original is about to check (is the value cached,
is there a key to load by) so it records exactly the accesses that query.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.fields.related_descriptors import (
    ForwardManyToOneDescriptor,
    ReverseOneToOneDescriptor,
)
from django.db.models.query_utils import DeferredAttribute

from ..collector import _scopes
from ._patching import PatchSet
from .orm import fetching, on_lazy_load


def _pk_set(instance: Any) -> bool:
    is_pk_set = getattr(instance, "_is_pk_set", None)
    return is_pk_set() if is_pk_set is not None else instance.pk is not None


def _forward_get_object(original: Any) -> Any:
    # ForwardOneToOneDescriptor.get_object builds a multi-table parent without a
    # query and calls this (super) only when it must query.
    def get_object(self: Any, instance: Any) -> Any:
        scopes = _scopes.get()
        if not scopes:
            return original(self, instance)
        via = on_lazy_load(scopes, instance, self.field.name, "forward")
        return fetching(via, lambda: original(self, instance))

    get_object.__wrapped__ = original  # type: ignore[attr-defined]
    return get_object


def _reverse_one_get(original: Any) -> Any:
    def __get__(self: Any, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return original(self, instance, cls)
        scopes = _scopes.get()
        if not scopes or self.related.is_cached(instance) or not _pk_set(instance):
            return original(self, instance, cls)
        name = self.related.get_accessor_name()
        via = on_lazy_load(scopes, instance, name, "reverse_one_to_one")
        return fetching(via, lambda: original(self, instance, cls))

    __get__.__wrapped__ = original  # type: ignore[attr-defined]
    return __get__


def _deferred_get(original: Any) -> Any:
    # Runs for deferred fields only (and for every FK id attribute, which is a
    # data descriptor): the __dict__ test keeps those accesses cheap.
    def __get__(self: Any, instance: Any, cls: Any = None) -> Any:
        if instance is None or self.field.attname in instance.__dict__:
            return original(self, instance, cls)
        scopes = _scopes.get()
        if scopes and self._check_parent_chain(instance) is None and _pk_set(instance):
            on_lazy_load(scopes, instance, self.field.attname, "deferred")
        return original(self, instance, cls)

    __get__.__wrapped__ = original  # type: ignore[attr-defined]
    return __get__


def _generic_get(original: Any) -> Any:
    def __get__(self: Any, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return original(self, instance, cls)
        scopes = _scopes.get()
        if not scopes or self.is_cached(instance):
            return original(self, instance, cls)
        ct_field = self.model._meta.get_field(self.ct_field)
        if getattr(instance, ct_field.attname, None) is None:
            return original(self, instance, cls)
        via = on_lazy_load(scopes, instance, self.name, "generic")
        return fetching(via, lambda: original(self, instance, cls))

    __get__.__wrapped__ = original  # type: ignore[attr-defined]
    return __get__


def patch(patches: PatchSet) -> None:
    patches.patch(
        ForwardManyToOneDescriptor,
        "get_object",
        _forward_get_object(ForwardManyToOneDescriptor.__dict__["get_object"]),
    )
    patches.patch(
        ReverseOneToOneDescriptor,
        "__get__",
        _reverse_one_get(ReverseOneToOneDescriptor.__dict__["__get__"]),
    )
    patches.patch(
        DeferredAttribute,
        "__get__",
        _deferred_get(DeferredAttribute.__dict__["__get__"]),
    )
    if apps.is_installed("django.contrib.contenttypes"):
        from django.contrib.contenttypes.fields import GenericForeignKey

        patches.patch(
            GenericForeignKey,
            "__get__",
            _generic_get(GenericForeignKey.__dict__["__get__"]),
        )
