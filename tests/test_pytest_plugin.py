"""The pytest plugin, end to end: a throwaway Django project run by pytest."""

from __future__ import annotations

import pytest

SETTINGS = """
SECRET_KEY = "x"
INSTALLED_APPS = [
    "django.contrib.contenttypes", "django.contrib.auth", "async_probe", "shop"
]
MIDDLEWARE = ["async_probe.middleware.AsyncProbeMiddleware"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
ROOT_URLCONF = "shop.urls"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
"""
MODELS = """
from django.db import models

class Author(models.Model):
    name = models.CharField(max_length=50)

class Book(models.Model):
    title = models.CharField(max_length=50)
    author = models.ForeignKey(Author, models.CASCADE)
"""
VIEWS = """
from django.core.cache import cache
from django.core.exceptions import SynchronousOnlyOperation
from django.http import JsonResponse
from .models import Book

async def books(request):
    rows = [book async for book in Book.objects.order_by("id")]
    try:
        names = [book.author.name for book in rows]
    except SynchronousOnlyOperation:
        # Like many API stacks: the error becomes a 200 envelope.
        return JsonResponse({"error": "server-error"})
    return JsonResponse({"names": names})

async def books_fixed(request):
    rows = [b async for b in Book.objects.select_related("author").order_by("id")]
    return JsonResponse({"names": [book.author.name for book in rows]})

def sync_books(request):
    return JsonResponse({"names": [b.author.name for b in Book.objects.order_by("id")]})

async def cached(request):
    return JsonResponse({"value": cache.get("key")})
"""
URLS = """
from django.urls import path
from . import views
NAMES = ("books", "books_fixed", "sync_books", "cached")
urlpatterns = [path(f"{n}/", getattr(views, n)) for n in NAMES]
"""
CONFTEST = """
import pytest

@pytest.fixture
def two_books(transactional_db):
    from shop.models import Author, Book
    ann = Author.objects.create(name="Ann")
    Book.objects.create(title="a", author=ann)
    Book.objects.create(title="b", author=ann)
"""


@pytest.fixture
def project(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> pytest.Pytester:
    # The outer run's settings module would win over the project's ini file.
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    pytester.makepyfile(
        settings=SETTINGS,
        conftest=CONFTEST,
        **{
            "shop/__init__": "",
            "shop/models": MODELS,
            "shop/views": VIEWS,
            "shop/urls": URLS,
        },
    )
    pytester.makeini(
        "[pytest]\nDJANGO_SETTINGS_MODULE = settings\npythonpath = .\n"
        "asyncio_mode = auto\naddopts = -p no:randomly -p no:cacheprovider\n"
    )
    return pytester


def run(project: pytest.Pytester, test: str, *args: str) -> pytest.RunResult:
    project.makepyfile(test_app=test)
    return project.runpytest_subprocess(*args)


SWALLOWED = """
async def test_books(two_books, async_client):
    response = await async_client.get("/books/")
    assert response.json() == {"error": "server-error"}  # the app hid it
"""


def test_strict_mode_fails_an_async_view_lazy_load_the_app_swallowed(
    project: pytest.Pytester,
) -> None:
    result = run(project, SWALLOWED, "--async-probe-strict")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*async_probe strict mode: 1 lazy load(s) in async views*",
            "*shop.Book.author: forward, on the event loop",
            "*request: GET /books/ -> shop.views.books (async view)",
            "*accessed at shop/views.py:9 in books",
            '*fix: add .select_related("author") at shop/views.py:7',
        ]
    )
    # Without strict mode the same test passes: that is the bug strict mode finds.
    run(project, SWALLOWED).assert_outcomes(passed=1)


def test_strict_mode_passes_after_select_related(project: pytest.Pytester) -> None:
    test = """
async def test_books(two_books, async_client):
    response = await async_client.get("/books_fixed/")
    assert response.json() == {"names": ["Ann", "Ann"]}
"""
    run(project, test, "--async-probe-strict").assert_outcomes(passed=1)


def test_strict_mode_leaves_sync_views_alone(project: pytest.Pytester) -> None:
    test = """
def test_books(two_books, client):
    assert client.get("/sync_books/").json() == {"names": ["Ann", "Ann"]}
"""
    run(project, test, "--async-probe-strict").assert_outcomes(passed=1)


def test_strict_mode_from_the_ini_file_and_its_escape_hatches(
    project: pytest.Pytester,
) -> None:
    project.makeini(
        "[pytest]\nDJANGO_SETTINGS_MODULE = settings\npythonpath = .\n"
        "asyncio_mode = auto\nasync_probe_strict = true\n"
        "addopts = -p no:randomly -p no:cacheprovider\n"
    )
    test = (
        SWALLOWED
        + """
import pytest
from async_probe.testing import assert_lazy_loads

async def test_declared(two_books, async_client):
    async with assert_lazy_loads(1):
        await async_client.get("/books/")

@pytest.mark.async_probe(strict=False)
async def test_opted_out(two_books, async_client):
    await async_client.get("/books/")
"""
    )
    result = run(project, test)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["FAILED test_app.py::test_books*"])


def test_marker_budgets_pass_and_fail_at_the_right_numbers(
    project: pytest.Pytester,
) -> None:
    test = """
import pytest

@pytest.mark.async_probe(lazy_loads=2)
def test_two_allowed(two_books, client):
    client.get("/sync_books/")

@pytest.mark.async_probe(lazy_loads=1)
def test_one_allowed(two_books, client):
    client.get("/sync_books/")

# Through the test client: request_started and the response close.
@pytest.mark.async_probe(max_hops=2)
async def test_hops_allowed(async_client, transactional_db):
    await async_client.get("/cached/")

@pytest.mark.async_probe(max_hops=1)
async def test_no_hops_allowed(async_client, transactional_db):
    await async_client.get("/cached/")

@pytest.mark.async_probe(blocking_cache_calls=0)
async def test_no_blocking(async_client, transactional_db):
    await async_client.get("/cached/")
"""
    result = run(project, test)
    result.assert_outcomes(passed=2, failed=3)
    result.stdout.fnmatch_lines_random(
        [
            "FAILED test_app.py::test_one_allowed - Failed: 2 lazy loads, expected at*",
            "FAILED test_app.py::test_no_hops_allowed - Failed: 2 thread hops, expect*",
            "FAILED test_app.py::test_no_blocking - Failed: 1 blocking cache call*",
        ]
    )


def test_fixture_in_sync_and_async_tests(project: pytest.Pytester) -> None:
    test = """
import pytest

def test_sync(two_books, client, async_probe):
    client.get("/sync_books/")
    assert async_probe.lazy_loads == 2
    async_probe.assert_lazy_loads(2)
    async_probe.assert_no_blocking_cache_calls()
    with pytest.raises(AssertionError, match="2 lazy loads, expected none"):
        async_probe.assert_no_lazy_loads()

async def test_async(two_books, async_client, async_probe):
    await async_client.get("/books_fixed/")
    async_probe.assert_no_lazy_loads()
    await async_client.get("/cached/")
    assert async_probe.blocking_cache_calls == 1
    assert async_probe.report.cache[0].method == "get"
    with pytest.raises(AssertionError, match="1 blocking cache call"):
        async_probe.assert_no_blocking_cache_calls()
"""
    run(project, test).assert_outcomes(passed=2)


def test_marker_rejects_unknown_budgets(project: pytest.Pytester) -> None:
    test = """
import pytest

@pytest.mark.async_probe(lazy_load=0)
def test_typo():
    pass
"""
    result = run(project, test)
    result.stdout.fnmatch_lines(["*@pytest.mark.async_probe takes keyword arguments*"])
    assert result.ret != 0
