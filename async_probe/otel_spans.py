"""A request's report as OpenTelemetry span data.

Everything here runs after the fact, when the request's scope has closed: hop
spans are started and ended with the times the hop instrument measured
(``start_time=`` / ``end_time=``), so the trace's waterfall shows when each hop
queued for its thread and when it ran, not when the sink happened to run.

Only names from the ``async_probe.*`` namespace are added to spans that some
other instrumentation made; the HTTP semantic-convention attributes go on a span
only when the probe made that span itself. What reaches a span: counts, dotted
names, file paths and line numbers, the fix suggestion, and the cache key as the
collector recorded it (``CacheCall.key``, redacted by default; never
``raw_key``). No SQL, no parameters, no headers, no cookies.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .events import CacheCall, LazyLoad
from .summary import cache_fix

if TYPE_CHECKING:
    from opentelemetry.trace import Span, Tracer

    from .events import Callsite, ThreadHop
    from .report import Report

Attributes = dict[str, str | bool | int | float]

# Stable since semantic conventions 1.33 (opentelemetry.semconv.attributes.
# code_attributes); spelled out so that only opentelemetry-api is required.
CODE_FILE_PATH = "code.file.path"
CODE_LINE_NUMBER = "code.line.number"
CODE_FUNCTION_NAME = "code.function.name"
CODE_STACKTRACE = "code.stacktrace"
# The pre-1.33 names, for backends that still read them: emitted as well when
# OTEL_SEMCONV_STABILITY_OPT_IN contains "code/dup", as the migration guide asks.
_OLD_CODE_NAMES = {
    CODE_FILE_PATH: "code.filepath",
    CODE_LINE_NUMBER: "code.lineno",
    CODE_FUNCTION_NAME: "code.function",
}

HTTP_METHODS = frozenset(
    {"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"}
)

LAZY_LOAD_EVENT = "async_probe.lazy_load"
BLOCKING_CACHE_EVENT = "async_probe.blocking_cache_call"
HOP_RUN_EVENT = "async_probe.hop.run"


def _code_dup() -> bool:
    opt_in = os.environ.get("OTEL_SEMCONV_STABILITY_OPT_IN", "")
    return "code/dup" in (part.strip() for part in opt_in.split(","))


def code_attributes(site: Callsite | None, stack: tuple[str, ...] = ()) -> Attributes:
    if site is None:
        return {}
    out: Attributes = {
        CODE_FILE_PATH: site.filename,
        CODE_LINE_NUMBER: site.lineno,
        CODE_FUNCTION_NAME: site.function,
    }
    if _code_dup():
        out.update({_OLD_CODE_NAMES[k]: v for k, v in list(out.items())})
    if stack:
        out[CODE_STACKTRACE] = "\n".join(stack)
    return out


def sanitize_method(method: str | None) -> str:
    """Unknown methods become ``_OTHER``: they must not multiply metric series."""
    method = (method or "").upper()
    return method if method in HTTP_METHODS else "_OTHER"


def route_of(request: Any) -> str | None:
    """The URL pattern that matched (``request.resolver_match.route``), if any."""
    match = getattr(request, "resolver_match", None)
    route = getattr(match, "route", None)
    return route if isinstance(route, str) and route else None


def request_attributes(report: Report) -> Attributes:
    """What goes on the request's server span, whoever made that span."""
    out: Attributes = {
        "async_probe.thread_hops": report.thread_hops,
        "async_probe.lazy_loads": report.lazy_loads,
        "async_probe.blocking_cache_calls": report.blocking_cache_calls,
        "async_probe.cache_calls": report.cache_calls,
        "async_probe.hop_wait_ms": round(report.hop_wait_s * 1000, 3),
        "async_probe.hop_run_ms": round(report.hop_run_s * 1000, 3),
    }
    if report.view:  # unknown when no URL pattern matched (a 404)
        out["async_probe.view"] = report.view
        out["async_probe.async_view"] = bool(report.async_view)
    for cause, count in report.hops_by_cause.items():
        out[f"async_probe.hops.{cause}"] = count
    if report.dropped_events:
        out["async_probe.dropped_events"] = report.dropped_events
    return out


def hop_attributes(hop: ThreadHop) -> Attributes:
    return {
        "async_probe.hop.direction": hop.direction,
        "async_probe.hop.cause": hop.cause,
        "async_probe.hop.target": hop.target,
        "async_probe.hop.thread_sensitive": hop.thread_sensitive,
        "async_probe.hop.wait_ms": round(hop.wait_s * 1000, 3),
        "async_probe.hop.run_ms": round(hop.run_s * 1000, 3),
        **code_attributes(hop.callsite),
    }


def load_attributes(load: LazyLoad) -> Attributes:
    out: Attributes = {
        "async_probe.model": load.model,
        "async_probe.field": load.field,
        "async_probe.kind": load.kind,
        "async_probe.context": load.context,
        "async_probe.suggestion": load.suggestion,
        **code_attributes(load.callsite, load.stack),
    }
    if load.origin is not None:
        out["async_probe.origin"] = str(load.origin)
    return out


def cache_attributes(call: CacheCall) -> Attributes:
    out: Attributes = {
        "async_probe.cache.alias": call.alias,
        "async_probe.cache.method": call.method,
        "async_probe.cache.duration_ms": round(call.duration_s * 1000, 3),
        "async_probe.context": call.context,
        "async_probe.suggestion": cache_fix(call),
        **code_attributes(call.callsite),
    }
    if call.key is not None:
        # The key as recorded: redacted unless REDACT_CACHE_KEYS is False.
        out["async_probe.cache.key"] = call.key
    return out


def own_span_name(report: Report, request: Any) -> str:
    # HTTP semantic conventions: "{method} {http.route}", or the method alone;
    # a raw path would make one span name per URL.
    method = sanitize_method(report.method)
    if method == "_OTHER":
        method = "HTTP"
    route = route_of(request)
    return f"{method} {route}" if route else method


def own_span_attributes(report: Report, request: Any) -> Attributes:
    out: Attributes = {"http.request.method": sanitize_method(report.method)}
    if report.path:
        out["url.path"] = report.path
    route = route_of(request)
    if route:
        out["http.route"] = route
    if report.status is not None:
        out["http.response.status_code"] = report.status
    return out


def emit(tracer: Tracer, report: Report, request: Any, *, hop_spans: bool) -> None:
    """Put the report on the request's span (or one of the probe's own) and add
    a child span per hop."""
    from opentelemetry import trace

    current = trace.get_current_span()
    own: Span | None = None
    if current.is_recording():
        # WSGI with opentelemetry-instrumentation-django: its server span is
        # current and open while the probe's middleware closes the scope.
        target = current
    elif not current.get_span_context().is_valid:
        # No instrumentation: this span is the request's entry in the trace.
        own = target = tracer.start_span(
            own_span_name(report, request),
            kind=trace.SpanKind.SERVER,
            start_time=report.started_ns,
            attributes=own_span_attributes(report, request),
        )
    elif getattr(current, "end_time", None) is not None:
        # ASGI: OpenTelemetryMiddleware ends its server span as soon as the last
        # body byte is sent, and Django closes the response (one more hop, with
        # the request_finished receivers) only after that. The findings are
        # complete only now, so they go on a child of the ended server span
        # that covers the probe's scope.
        own = target = tracer.start_span(
            f"async_probe {own_span_name(report, request)}",
            context=trace.set_span_in_context(current),
            start_time=report.started_ns,
        )
    else:
        return  # sampled out upstream: that decision stands
    target.set_attributes(request_attributes(report))

    # Lazy loads and blocking cache calls go on the span of the hop they
    # happened in (a worker's N+1 shows under the sync_to_async that ran it),
    # else on the request's span.
    spans: dict[int, Span] = {}
    if hop_spans:
        for hop in report.hops:  # in start order: a parent before its children
            parent = spans.get(hop.parent_id) if hop.parent_id is not None else None
            span = tracer.start_span(
                f"{hop.direction} {hop.target}",
                context=trace.set_span_in_context(parent or target),
                start_time=hop.at_ns,
                attributes=hop_attributes(hop),
            )
            # Where the wait for the thread (or the loop) ended and the work began.
            span.add_event(HOP_RUN_EVENT, timestamp=hop.at_ns + int(hop.wait_s * 1e9))
            spans[hop.id] = span
    _add_events(report, spans, target)
    for hop in report.hops if hop_spans else ():
        spans[hop.id].end(end_time=hop.end_ns)
    if own is not None:
        if report.status is not None and report.status >= 500:
            own.set_status(trace.StatusCode.ERROR)
        own.end(end_time=report.finished_ns)


def _add_events(report: Report, spans: Mapping[int, Span], target: Span) -> None:
    for event in report.events:
        if isinstance(event, LazyLoad):
            name, attributes = LAZY_LOAD_EVENT, load_attributes(event)
        elif isinstance(event, CacheCall) and event.blocking:
            name, attributes = BLOCKING_CACHE_EVENT, cache_attributes(event)
        else:
            continue
        owner = spans.get(event.hop_id, target) if event.hop_id is not None else target
        owner.add_event(name, attributes, timestamp=event.at_ns)
