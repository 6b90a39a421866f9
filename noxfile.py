"""The support matrix: Python 3.12 / 3.13 x Django 5.2 / 6.0 / 6.1.

    nox                                   # everything
    nox -s "tests-3.12(django='5.2')"     # one cell

Each cell runs the library's tests and the reference backend's (strict mode) on
SQLite; ``make test`` adds the PostgreSQL + Redis pass on the default cell.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYTHONS = ["3.12", "3.13"]
DJANGOS = {
    "5.2": "Django>=5.2,<6.0",
    "6.0": "Django>=6.0,<6.1",
    "6.1": "Django>=6.1,<6.2",
}

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True


def _expose_interpreters() -> None:
    """Put real python3.12 / python3.13 on PATH for nox, even where they are
    pyenv shims that refuse to run (scripts/find-python knows how to find them)."""
    shims = ROOT / ".nox" / "bin"
    shims.mkdir(parents=True, exist_ok=True)
    for version in PYTHONS:
        link = shims / f"python{version}"
        if link.exists():
            continue
        found = subprocess.run(
            [str(ROOT / "scripts" / "find-python"), version],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if found:
            link.symlink_to(found)
    os.environ["PATH"] = f"{shims}{os.pathsep}{os.environ['PATH']}"


_expose_interpreters()


@nox.session(python=PYTHONS)
@nox.parametrize("django", list(DJANGOS))
def tests(session: nox.Session, django: str) -> None:
    session.install("-e", ".[test]", DJANGOS[django])
    session.run("python", "scripts/run-tests.py", "--db", "sqlite", *session.posargs)


@nox.session(python="3.12")
def toolbar71(session: nox.Session) -> None:
    """The panel against django-debug-toolbar's previous release."""
    session.install("-e", ".[test]", "django-debug-toolbar>=7.1,<7.2")
    session.run("python", "scripts/run-tests.py", "--db", "sqlite", "--suite", "panels")
