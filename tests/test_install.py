"""install() / uninstall(): idempotent, reversible, exact."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from asgiref.sync import AsyncToSync, SyncToAsync
from django.core.handlers.base import BaseHandler
from django.db.models.query import QuerySet

import async_probe
from async_probe.instrument import MODULES, patch_state


@pytest.fixture
def reinstall() -> Iterator[None]:
    yield
    async_probe.install()


def test_installed_at_app_ready() -> None:
    assert async_probe.is_installed()
    assert all(module.is_installed() for module in MODULES)
    assert SyncToAsync.__call__.__wrapped__  # type: ignore[attr-defined]


def test_uninstall_restores_every_original_object(reinstall: None) -> None:
    patched = patch_state()
    originals = {
        point: getattr(value, "__wrapped__", None) for point, value in patched.items()
    }
    async_probe.uninstall()
    assert not async_probe.is_installed()
    for (owner, attr), original in originals.items():
        assert owner.__dict__.get(attr) is original, f"{owner.__name__}.{attr}"
    assert not hasattr(SyncToAsync.__call__, "__wrapped__")
    assert not hasattr(AsyncToSync.__call__, "__wrapped__")
    assert not hasattr(BaseHandler.resolve_request, "__wrapped__")
    assert not hasattr(QuerySet._fetch_all, "__wrapped__")


def test_install_and_uninstall_are_idempotent(reinstall: None) -> None:
    before = patch_state()
    async_probe.install()
    assert patch_state() == before  # nothing wrapped twice
    async_probe.uninstall()
    after_once = patch_state()
    async_probe.uninstall()
    assert patch_state() == after_once
    async_probe.install()
    assert {point: type(value) for point, value in patch_state().items()} == {
        point: type(value) for point, value in before.items()
    }


def test_probe_refuses_to_run_uninstalled(reinstall: None) -> None:
    async_probe.uninstall()
    with pytest.raises(RuntimeError, match="async_probe is not installed"):
        with async_probe.probe():
            pass


def test_a_later_wrapper_on_top_of_ours_survives_uninstall(reinstall: None) -> None:
    """django-debug-toolbar's cache panel wraps CacheHandler.create_connection
    after we do; uninstall must not drop its wrapper, and reinstalling must not
    wrap twice."""
    from django.core.cache import CacheHandler

    ours = CacheHandler.__dict__["create_connection"]

    def theirs(self: CacheHandler, alias: str) -> object:
        return ours(self, alias)

    theirs.__wrapped__ = ours  # type: ignore[attr-defined]
    CacheHandler.create_connection = theirs  # type: ignore[method-assign]
    try:
        async_probe.uninstall()
        assert CacheHandler.__dict__["create_connection"] is theirs
        async_probe.install()
        assert CacheHandler.__dict__["create_connection"] is theirs
        assert async_probe.is_installed()
    finally:
        CacheHandler.create_connection = ours  # type: ignore[method-assign]
