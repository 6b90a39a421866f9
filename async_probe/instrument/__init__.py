"""Install and remove every patch. One module per instrumented subsystem."""

from __future__ import annotations

from typing import Any

from . import cache, handler, hops, orm

MODULES = (hops, orm, cache, handler)


def install() -> None:
    """Apply every patch (idempotent)."""
    for module in MODULES:
        module.install()


def uninstall() -> None:
    """Remove every patch; each attribute is the original object again."""
    for module in reversed(MODULES):
        module.uninstall()


def is_installed() -> bool:
    # Asked on every request scope: no generator.
    return (
        hops._patches.active
        and orm._patches.active
        and cache._patches.active
        and handler._patches.active
    )


def patch_state() -> dict[tuple[Any, str], Any]:
    """What each patch point holds now (for tests that check nothing leaked)."""
    points = [p for module in MODULES for p in module._patches.points()]
    return {(owner, attr): owner.__dict__.get(attr) for owner, attr in points}
