"""async_probe.W010: the toolbar's database store in an ASGI project."""

from __future__ import annotations

from typing import Any

import pytest
from debug_toolbar.store import DatabaseStore
from django.core.checks import run_checks
from django.test import override_settings

from async_probe import asgi
from panels.checks import check_toolbar_store


class ProjectStore(DatabaseStore):
    """A project's own store built on the database one."""


def toolbar_config(store: str) -> dict[str, Any]:
    return {
        "SHOW_TOOLBAR_CALLBACK": "tests.panels.settings.show_toolbar",
        "IS_RUNNING_TESTS": False,
        "TOOLBAR_STORE_CLASS": store,
    }


@pytest.fixture
def wsgi_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # Another test may have built a ProbeASGIWrapper in this process.
    monkeypatch.setattr(asgi, "wrapped", False)


@pytest.mark.parametrize(
    "store",
    ["debug_toolbar.store.DatabaseStore", "tests.panels.test_checks.ProjectStore"],
)
def test_database_store_under_asgi_warns(store: str, wsgi_only: None) -> None:
    with override_settings(
        ASGI_APPLICATION="oj.asgi.application",
        DEBUG_TOOLBAR_CONFIG=toolbar_config(store),
    ):
        (warning,) = check_toolbar_store()
    assert warning.id == "async_probe.W010"
    assert warning.obj == store
    assert "SynchronousOnlyOperation" in warning.msg
    assert warning.hint == (
        "Use 'debug_toolbar.store.MemoryStore' (the default) while serving over ASGI."
    )


def test_a_probe_wrapper_makes_the_project_asgi(wsgi_only: None) -> None:
    asgi.wrapped = True
    with override_settings(
        DEBUG_TOOLBAR_CONFIG=toolbar_config("debug_toolbar.store.DatabaseStore")
    ):
        assert [m.id for m in check_toolbar_store()] == ["async_probe.W010"]


@pytest.mark.parametrize(
    "store",
    [
        "debug_toolbar.store.MemoryStore",
        "debug_toolbar.store.CacheStore",
        "no.such.Store",
    ],
)
def test_other_stores_under_asgi_are_fine(store: str, wsgi_only: None) -> None:
    with override_settings(
        ASGI_APPLICATION="oj.asgi.application",
        DEBUG_TOOLBAR_CONFIG=toolbar_config(store),
    ):
        assert check_toolbar_store() == []


def test_database_store_under_wsgi_is_fine(wsgi_only: None) -> None:
    with override_settings(
        DEBUG_TOOLBAR_CONFIG=toolbar_config("debug_toolbar.store.DatabaseStore")
    ):
        assert check_toolbar_store() == []


def test_registered_with_django(wsgi_only: None) -> None:
    with override_settings(
        ASGI_APPLICATION="oj.asgi.application",
        DEBUG_TOOLBAR_CONFIG=toolbar_config("debug_toolbar.store.DatabaseStore"),
    ):
        ids = [message.id for message in run_checks(tags=["async_probe"])]
    assert "async_probe.W010" in ids
