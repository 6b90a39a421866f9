"""panels.instrument: install / uninstall / is_installed, idempotent and exact."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import iscoroutinefunction
from debug_toolbar.middleware import DebugToolbarMiddleware
from django.http import HttpRequest, HttpResponse

from panels import instrument

POINTS = ("__init__", "__call__", "__acall__")


@pytest.fixture
def reinstall() -> Iterator[None]:
    yield
    instrument.install()


def sync_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("sync")


async def async_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("async")


def test_installed_by_the_panel_app() -> None:
    assert instrument.is_installed()
    for attr in POINTS:
        assert hasattr(DebugToolbarMiddleware.__dict__[attr], "__wrapped__"), attr


def test_uninstall_restores_the_original_objects(reinstall: None) -> None:
    originals = {
        attr: DebugToolbarMiddleware.__dict__[attr].__wrapped__ for attr in POINTS
    }
    instrument.uninstall()
    assert not instrument.is_installed()
    for attr, original in originals.items():
        assert DebugToolbarMiddleware.__dict__[attr] is original, attr
        assert not hasattr(original, "__wrapped__")


def test_install_and_uninstall_are_idempotent(reinstall: None) -> None:
    before = instrument.patch_state()
    instrument.install()
    assert instrument.patch_state() == before  # nothing wrapped twice
    instrument.uninstall()
    once = instrument.patch_state()
    instrument.uninstall()
    assert instrument.patch_state() == once
    instrument.install()
    assert {p: type(v) for p, v in instrument.patch_state().items()} == {
        p: type(v) for p, v in before.items()
    }


@pytest.mark.parametrize(("view", "is_async"), [(sync_view, False), (async_view, True)])
def test_middleware_built_installed_resumes_in_the_same_mode(
    view: Any, is_async: bool
) -> None:
    middleware = DebugToolbarMiddleware(view)
    assert getattr(middleware.get_response, instrument.RESUMES) is True
    assert middleware.get_response.__wrapped__ is view  # type: ignore[attr-defined]
    assert iscoroutinefunction(middleware.get_response) is is_async
    assert middleware.async_mode is is_async


def test_middleware_built_uninstalled_is_left_alone(reinstall: None) -> None:
    instrument.uninstall()
    middleware = DebugToolbarMiddleware(sync_view)
    assert middleware.get_response is sync_view


def test_resuming_outside_the_toolbar_calls_straight_through() -> None:
    """No toolbar call in progress (nothing to restore): the wrapper is inert."""
    resume = instrument.resuming(sync_view)
    response = resume(HttpRequest())
    assert response.content == b"sync"


async def test_resuming_async_outside_the_toolbar() -> None:
    resume = instrument.resuming(async_view)
    response = await resume(HttpRequest())
    assert response.content == b"async"
