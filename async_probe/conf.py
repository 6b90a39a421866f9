"""One typed accessor over ``settings.ASYNC_PROBE``.

The dict is read when used (per scope, per system check, per report), so
``override_settings(ASYNC_PROBE=...)`` takes effect from the next scope. Invalid
values never raise here: :func:`get_settings` falls back to the default for that
key and :mod:`async_probe.checks` reports the problem as a system check.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.conf import settings as django_settings
from django.core.signals import setting_changed
from django.dispatch import receiver

LazyLoadMode = Literal["record", "warn", "raise"]
LAZY_LOAD_MODES: tuple[LazyLoadMode, ...] = ("record", "warn", "raise")
THRESHOLD_KEYS = (
    "thread_hops",
    "lazy_loads",
    "blocking_cache_calls",
    "cache_calls",
    "hop_wait_ms",
)


@dataclass(frozen=True)
class ProbeSettings:
    enabled: bool = True
    lazy_loads: LazyLoadMode = "record"
    callsites: bool = True
    stacks: bool = False
    max_events: int = 1000
    ignore: tuple[str, ...] = ()
    redact_cache_keys: bool = True
    otel: bool | Literal["auto"] = "auto"
    thresholds: Mapping[str, float] = field(default_factory=dict)
    hop_spans: bool = True
    hop_timing: bool = True
    # fnmatch patterns compiled once per settings object: IGNORE is consulted
    # on every lazy load.
    ignore_regex: re.Pattern[str] | None = field(default=None, compare=False)

    def ignores(self, model_label: str, field_name: str) -> bool:
        if self.ignore_regex is None:
            return False
        return self.ignore_regex.match(f"{model_label}.{field_name}") is not None


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _is_patterns(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(
        isinstance(item, str) and item.strip() for item in value
    )


def _is_thresholds(value: Any) -> bool:
    return isinstance(value, Mapping) and all(
        key in THRESHOLD_KEYS
        and isinstance(budget, int | float)
        and not isinstance(budget, bool)
        and budget >= 0
        for key, budget in value.items()
    )


@dataclass(frozen=True)
class _Key:
    attr: str
    valid: Any  # Callable[[Any], bool]
    allowed: str


KEYS: dict[str, _Key] = {
    "ENABLED": _Key("enabled", _is_bool, "True or False"),
    "LAZY_LOADS": _Key(
        "lazy_loads",
        lambda v: v in LAZY_LOAD_MODES,
        ", ".join(repr(m) for m in LAZY_LOAD_MODES),
    ),
    "CALLSITES": _Key("callsites", _is_bool, "True or False"),
    "STACKS": _Key("stacks", _is_bool, "True or False"),
    "MAX_EVENTS": _Key("max_events", _is_count, "an integer >= 1"),
    "IGNORE": _Key(
        "ignore",
        _is_patterns,
        'a list of "app_label.Model.field" patterns (fnmatch wildcards allowed)',
    ),
    "REDACT_CACHE_KEYS": _Key("redact_cache_keys", _is_bool, "True or False"),
    "OTEL": _Key("otel", lambda v: _is_bool(v) or v == "auto", "True, False or 'auto'"),
    "THRESHOLDS": _Key(
        "thresholds",
        _is_thresholds,
        "a dict whose keys are "
        + ", ".join(repr(k) for k in THRESHOLD_KEYS)
        + " and whose values are numbers >= 0",
    ),
    "HOP_SPANS": _Key("hop_spans", _is_bool, "True or False"),
    "HOP_TIMING": _Key("hop_timing", _is_bool, "True or False"),
}


@dataclass(frozen=True)
class Problem:
    """One invalid setting; :mod:`async_probe.checks` turns it into an Error."""

    key: str | None
    message: str
    hint: str


def validate(raw: Any) -> list[Problem]:
    if raw is None:
        return []
    if not isinstance(raw, Mapping):
        return [
            Problem(
                None,
                f"ASYNC_PROBE must be a dict, not {type(raw).__name__}.",
                "Set ASYNC_PROBE = {...} with any of: " + ", ".join(KEYS) + ".",
            )
        ]
    problems = []
    for key, value in raw.items():
        spec = KEYS.get(key)
        if spec is None:
            close = fnmatch.filter(KEYS, f"*{str(key).upper()[:4]}*")
            hint = f"Did you mean {close[0]!r}? " if close else ""
            problems.append(
                Problem(
                    key,
                    f"ASYNC_PROBE has an unknown key {key!r}.",
                    hint + "Allowed keys: " + ", ".join(KEYS) + ".",
                )
            )
        elif not spec.valid(value):
            problems.append(
                Problem(
                    key,
                    f"ASYNC_PROBE[{key!r}] is {value!r}; it must be {spec.allowed}.",
                    f"Allowed values for {key}: {spec.allowed}.",
                )
            )
    return problems


def build(raw: Any) -> ProbeSettings:
    """Settings from a raw ``ASYNC_PROBE`` value; invalid keys keep their default."""
    if not isinstance(raw, Mapping):
        return ProbeSettings()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        spec = KEYS.get(key)
        if spec is not None and spec.valid(value):
            values[spec.attr] = value
    if "ignore" in values:
        patterns = tuple(values["ignore"])
        values["ignore"] = patterns
        values["ignore_regex"] = (
            re.compile("|".join(fnmatch.translate(p) for p in patterns))
            if patterns
            else None
        )
    if "thresholds" in values:
        values["thresholds"] = dict(values["thresholds"])
    return ProbeSettings(**values)


_cache: tuple[object, ProbeSettings] | None = None


def get_settings() -> ProbeSettings:
    """The current settings, rebuilt whenever ``ASYNC_PROBE`` is replaced."""
    global _cache
    raw = getattr(django_settings, "ASYNC_PROBE", None)
    cached = _cache
    if cached is not None and cached[0] is raw:
        return cached[1]
    built = build(raw)
    _cache = (raw, built)
    return built


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    # Identity alone misses a dict mutated in place and re-assigned by
    # override_settings; dropping the cache is cheap.
    global _cache
    if setting == "ASYNC_PROBE":
        _cache = None
