"""What the numbers came from: CPU, cores, load, Python, Django, the peers' versions."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata

PACKAGES = (
    "Django",
    "asgiref",
    "uvicorn",
    "django-async-probe",
    "django-zeal",
    "django-debug-toolbar",
    "opentelemetry-sdk",
    "opentelemetry-instrumentation-django",
)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def revision() -> str:
    """The commit measured, and whether the library's files differ from it."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "async_probe"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    if not head:
        return "unknown"
    return f"{head} (async_probe/ modified in the work tree)" if dirty else head


def describe() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "cpu": cpu_model(),
        "cores": str(os.cpu_count()),
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "async_probe revision": revision(),
        **versions,
    }
