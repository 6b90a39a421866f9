"""Saved originals, so every patch can be undone exactly."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("async_probe")
_MISSING = object()


class PatchSet:
    """The patches of one instrument module.

    ``patch`` remembers what the owner's own ``__dict__`` held (or that it held
    nothing and the attribute was inherited); ``restore`` puts exactly that back,
    newest first, so after it every attribute is the original object again.

    Unless another library wrapped the attribute after us (django-debug-toolbar's
    cache panel wraps ``CacheHandler.create_connection`` at start-up): putting
    our original back would drop their wrapper. Then ours stays in their chain,
    idle (it records only inside a scope, and none opens while uninstalled), and
    the next ``patch`` of that attribute reuses it instead of wrapping twice.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._saved: list[tuple[Any, str, Any, Any]] = []
        # Every point ever patched, kept after restore so tests can check that
        # each one holds its original object again.
        self._known: dict[tuple[Any, str], None] = {}
        self._stranded: dict[tuple[Any, str], tuple[Any, Any]] = {}
        self.active = False

    def patch(self, owner: Any, attr: str, replacement: Any) -> None:
        stranded = self._stranded.pop((owner, attr), None)
        if stranded is not None:
            original, replacement = stranded
        else:
            original = owner.__dict__.get(attr, _MISSING)
            setattr(owner, attr, replacement)
        self._saved.append((owner, attr, original, replacement))
        self._known[(owner, attr)] = None
        self.active = True

    def patched(self, owner: Any, attr: str) -> bool:
        return any(o is owner and a == attr for o, a, _, _ in self._saved)

    def restore(self) -> None:
        while self._saved:
            owner, attr, original, replacement = self._saved.pop()
            if owner.__dict__.get(attr, _MISSING) is not replacement:
                self._stranded[(owner, attr)] = (original, replacement)
                logger.debug(
                    "async_probe: %s.%s was wrapped again after us; leaving our "
                    "(now idle) wrapper inside that chain",
                    getattr(owner, "__qualname__", owner),
                    attr,
                )
            elif original is _MISSING:
                delattr(owner, attr)
            else:
                setattr(owner, attr, original)
        self.active = False

    def points(self) -> list[tuple[Any, str]]:
        return list(self._known)


def original_of(func: Any) -> Any:
    """The function a probe wrapper replaced (its ``__wrapped__``)."""
    return getattr(func, "__wrapped__", func)
