"""Which URLconf routes the audit requests on its own, and which it skips and why."""

from __future__ import annotations

from django.test import override_settings

from async_probe.audit.routes import Skipped, discover
from tests.audit.helpers import PROBE, audit


@override_settings(ROOT_URLCONF="tests.audit.urls", STATIC_URL="/static/")
def test_discovery_requests_argument_free_get_routes_and_says_what_it_skipped() -> None:
    endpoints, skipped = discover(user="ann")
    assert [(e.method, e.url, e.user, e.source) for e in endpoints] == [
        ("GET", "/async_plain/", "ann", "urlconf"),
        ("GET", "/sync_plain/", "ann", "urlconf"),
        ("GET", "/robots.txt", "ann", "urlconf"),
        ("GET", "/nested/inner/", "ann", "urlconf"),
    ]
    assert skipped == [
        Skipped("/books/<int:pk>/", "needs arguments"),
        Skipped("/^a+/$", "regular expression, not a literal path"),
        Skipped("/post_only/", "no GET handler"),
        Skipped("/static/app.css", "under STATIC_URL"),
        Skipped("/nested/<slug:s>/", "needs arguments"),
        Skipped("/by_id/<int:pk>/", "needs arguments"),
        Skipped("/admin/", "Django admin"),
        Skipped("/__debug__/", "debug toolbar"),
    ]


@override_settings(
    ROOT_URLCONF="tests.audit.urls", STATIC_URL="/static/", MIDDLEWARE=[PROBE]
)
def test_the_audit_without_urls_runs_the_discovered_routes(
    transactional_db: None,
) -> None:
    run = audit("--repeat", "1")
    assert run.status == 0, run.err
    assert list(run.rows()) == [
        "GET /async_plain/",
        "GET /sync_plain/",
        "GET /robots.txt",
        "GET /nested/inner/",
    ]
    skipped = run.out[run.out.index("Skipped 8 of the URLconf's routes:") :]
    assert skipped.splitlines()[1:4] == [
        "  /books/<int:pk>/  (needs arguments)",
        "  /^a+/$  (regular expression, not a literal path)",
        "  /post_only/  (no GET handler)",
    ]


@override_settings(ROOT_URLCONF="tests.audit.urls", MIDDLEWARE=[PROBE])
def test_a_url_name_that_needs_arguments(transactional_db: None) -> None:
    run = audit("--url", "book", "--url", "/async_plain/", "--repeat", "1")
    assert run.status == 2
    assert list(run.rows()) == ["GET /async_plain/"]
    assert run.err.splitlines() == [
        "error: URL name 'book' needs arguments: give --url the path instead"
    ]


@override_settings(ROOT_URLCONF="tests.audit.urls", MIDDLEWARE=[PROBE])
def test_a_user_that_does_not_exist_is_one_error(transactional_db: None) -> None:
    run = audit("--user", "ghost", "--repeat", "1")  # five routes, STATIC_URL unset
    assert run.status == 2
    assert "ASGI (" not in run.out  # no endpoint could run
    assert run.err.splitlines() == [
        "error: GET /async_plain/ as ghost and 4 more: user 'ghost' does not exist "
        "(auth.User.username)",
    ]
