"""Saved originals, so every patch can be undone exactly."""

from __future__ import annotations

from typing import Any

_MISSING = object()


class PatchSet:
    """The patches of one instrument module.

    ``patch`` remembers what the owner's own ``__dict__`` held (or that it held
    nothing and the attribute was inherited); ``restore`` puts exactly that back,
    newest first, so after it every attribute is the original object again.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._saved: list[tuple[Any, str, Any]] = []
        # Every point ever patched, kept after restore so tests can check that
        # each one holds its original object again.
        self._known: dict[tuple[Any, str], None] = {}
        self.active = False

    def patch(self, owner: Any, attr: str, replacement: Any) -> None:
        self._saved.append((owner, attr, owner.__dict__.get(attr, _MISSING)))
        self._known[(owner, attr)] = None
        setattr(owner, attr, replacement)
        self.active = True

    def patched(self, owner: Any, attr: str) -> bool:
        return any(o is owner and a == attr for o, a, _ in self._saved)

    def restore(self) -> None:
        while self._saved:
            owner, attr, original = self._saved.pop()
            if original is _MISSING:
                delattr(owner, attr)
            else:
                setattr(owner, attr, original)
        self.active = False

    def points(self) -> list[tuple[Any, str]]:
        return list(self._known)


def original_of(func: Any) -> Any:
    """The function a probe wrapper replaced (its ``__wrapped__``)."""
    return getattr(func, "__wrapped__", func)
