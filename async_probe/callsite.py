"""Find the first frame of application code, cheaply.

A full ``traceback.extract_stack()`` per event costs microseconds; instead we walk
``f_back`` a bounded number of frames and classify each code object once. Library
code is anything under the interpreter's stdlib or site-packages, plus Django,
asgiref and async_probe itself wherever they are installed from.
"""

from __future__ import annotations

import os
import site
import sys
import sysconfig
from types import CodeType, FrameType

from .events import Callsite

# Deep enough for DRF serializers inside middleware inside the test client.
MAX_DEPTH = 64
_NOT_USER = ""
# Library code of django.contrib.auth: a hop started under it is the "auth" cause
# (``request.auser()`` reaches the ORM through the session and the backend).
_AUTH = "\x00auth"
_AUTH_DIR = os.path.join("django", "contrib", "auth", "")
# asgiref's worker entry point. Above it on a worker's stack is either nothing
# or, for a thread-sensitive hop run on the waiting sync thread itself, that
# thread's own (blocked) callers: never the code that asked for the hop.
_BOUNDARY = "\x00boundary"


def _library_roots() -> tuple[str, ...]:
    roots: set[str] = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            roots.add(path)
    for path in [*getattr(site, "getsitepackages", list)(), site.getusersitepackages()]:
        roots.add(path)
    import asgiref
    import django

    here = os.path.dirname(os.path.abspath(__file__))
    roots.update(
        {
            here,
            os.path.dirname(os.path.abspath(django.__file__)),
            os.path.dirname(os.path.abspath(asgiref.__file__)),
            os.path.join(os.path.dirname(here), "panels"),
        }
    )
    return tuple(sorted(os.path.join(os.path.realpath(r), "") for r in roots))


_roots: tuple[str, ...] | None = None
_base: str | None = None
# id(code) -> project-relative filename, or "" for library code. Keyed by id:
# hashing a code object hashes its bytecode and constants, every time, which
# made a walk cost microseconds. _alive keeps each code object referenced, so
# its id is not reused while cached. Code objects are few and long-lived.
_code_names: dict[int, str] = {}
_alive: dict[int, CodeType] = {}
_sites: dict[tuple[int, int], Callsite] = {}


def _project_base() -> str:
    from django.conf import settings

    base = getattr(settings, "BASE_DIR", None) if settings.configured else None
    return os.path.join(os.path.realpath(str(base) if base else os.getcwd()), "")


def _classify(code: CodeType) -> str:
    global _roots, _base
    if len(_alive) > 50_000:  # bounded even for generated code
        _code_names.clear()
        _alive.clear()
        _sites.clear()
    _alive[id(code)] = code
    if code is _thread_handler_code():
        _code_names[id(code)] = _BOUNDARY
        return _BOUNDARY
    filename = code.co_filename
    if filename.startswith("<"):
        name = _NOT_USER
    else:
        if _roots is None:
            _roots = _library_roots()
            _base = _project_base()
        path = os.path.realpath(filename)
        if path.startswith(_roots):
            name = _AUTH if _AUTH_DIR in path else _NOT_USER
        else:
            assert _base is not None
            name = path[len(_base) :] if path.startswith(_base) else path
    _code_names[id(code)] = name
    return name


def walk(frame: FrameType | None) -> tuple[FrameType | None, bool]:
    """The nearest application frame, and whether django.contrib.auth is between."""
    names = _code_names
    through_auth = False
    for _ in range(MAX_DEPTH):
        if frame is None:
            break
        code = frame.f_code
        name = names.get(id(code))
        if name is None:
            name = _classify(code)
        if name:
            if name == _AUTH:
                through_auth = True
            elif name == _BOUNDARY:
                break
            else:
                return frame, through_auth
        frame = frame.f_back
    return None, through_auth


def _thread_handler_code() -> CodeType:
    from asgiref.sync import SyncToAsync

    handler = SyncToAsync.__dict__["thread_handler"]
    return handler.__code__  # type: ignore[no-any-return]


def callsite_of(frame: FrameType) -> Callsite:
    code = frame.f_code
    lineno = frame.f_lineno
    key = (id(code), lineno)
    site_ = _sites.get(key)
    if site_ is None:
        name = _code_names.get(id(code)) or _classify(code)
        if not name or name in (_AUTH, _BOUNDARY):
            name = code.co_filename
        site_ = _sites[key] = Callsite(name, lineno, code.co_qualname)
    return site_


def _frame(skip: int) -> FrameType | None:
    try:
        return sys._getframe(skip + 1)
    except ValueError:  # called from a shallower stack than usual
        return None


def find_callsite(skip: int = 2) -> Callsite | None:
    """Where application code called into whatever called us (or None)."""
    frame = walk(_frame(skip))[0]
    return None if frame is None else callsite_of(frame)


def find_callsite_and_auth(skip: int = 2) -> tuple[Callsite | None, bool]:
    frame, through_auth = walk(_frame(skip))
    return (None if frame is None else callsite_of(frame)), through_auth


def capture_stack(skip: int = 2, limit: int = 40) -> tuple[tuple[CodeType, int], ...]:
    """The stack as (code, line) pairs, innermost first, for ``STACKS = True``.

    Rendering waits for a reader (:func:`render_stack`): most stacks are never
    looked at, and formatting is the expensive part.
    """
    pairs: list[tuple[CodeType, int]] = []
    frame = _frame(skip)
    while frame is not None and len(pairs) < limit:
        pairs.append((frame.f_code, frame.f_lineno))
        frame = frame.f_back
    return tuple(pairs)


def render_stack(pairs: tuple[tuple[CodeType, int], ...]) -> tuple[str, ...]:
    """``file:line in function`` lines, outermost first."""
    lines = []
    for code, lineno in reversed(pairs):
        name = _code_names.get(id(code))
        if name is None:
            name = _classify(code)
        shown = name if name and name not in (_AUTH, _BOUNDARY) else code.co_filename
        lines.append(f"{shown}:{lineno} in {code.co_qualname}")
    return tuple(lines)


def reset() -> None:
    """Forget classifications (tests that change BASE_DIR or sys.path)."""
    global _roots, _base
    _roots = _base = None
    _code_names.clear()
    _alive.clear()
    _sites.clear()
