"""``[12/40] ASGI GET /api/x`` on one line that rewrites itself; terminals only."""

from __future__ import annotations

from collections.abc import Callable


class TerminalProgress:
    """Rewrites one line in place (carriage return + erase line); ``clear()``
    leaves the terminal as it was, so the tables print on a clean line."""

    def __init__(self, write: Callable[[str], None], width: int = 100) -> None:
        self.write = write
        self.width = width
        self.shown = False

    def __call__(self, index: int, total: int, label: str) -> None:
        line = f"[{index}/{total}] {label}"
        if len(line) > self.width:
            line = line[: self.width - 3] + "..."
        self.write(f"\r\x1b[K{line}")
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.write("\r\x1b[K")
            self.shown = False
