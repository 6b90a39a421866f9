"""Lazy loads: every kind, in every context, with exact counts and fixes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django
import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.exceptions import SynchronousOnlyOperation
from django.db import connection
from django.test.utils import CaptureQueriesContext

from async_probe import probe
from async_probe.events import LazyLoad
from tests.testapp.models import Author, Book, Note

HERE = "tests/instrument/test_orm.py"


def first_of(queryset: Any) -> Any:
    return list(queryset)[0]


LOAD_LINE = first_of.__code__.co_firstlineno + 1


async def afirst_of(queryset: Any) -> Any:
    return [obj async for obj in queryset][0]


ALOAD_LINE = afirst_of.__code__.co_firstlineno + 1

# kind -> (queryset to load from, how to touch the relation, model, field, fix)
KINDS: dict[str, tuple[Callable[[], Any], Callable[[Any], Any], str, str, str]] = {
    "forward": (
        lambda: Book.objects.order_by("id"),
        lambda book: book.author.name,
        "testapp.Book",
        "author",
        'add .select_related("author")',
    ),
    "reverse_one_to_one": (
        lambda: Author.objects.order_by("id"),
        lambda author: author.profile.website,
        "testapp.Author",
        "profile",
        'add .select_related("profile")',
    ),
    "deferred": (
        lambda: Author.objects.defer("bio").order_by("id"),
        lambda author: author.bio,
        "testapp.Author",
        "bio",
        'stop deferring "bio" (drop it from .defer() or add it to .only())',
    ),
    "generic": (
        lambda: Note.objects.order_by("id"),
        lambda note: note.target.title,
        "testapp.Note",
        "target",
        'add .prefetch_related("target")',
    ),
    "reverse_many": (
        lambda: Author.objects.order_by("id"),
        lambda author: [b.title for b in author.books.all()],
        "testapp.Author",
        "books",
        'add .prefetch_related("books")',
    ),
    "many_to_many": (
        lambda: Book.objects.order_by("id"),
        lambda book: [t.name for t in book.tags.all()],
        "testapp.Book",
        "tags",
        'add .prefetch_related("tags")',
    ),
}


def _only_load(report: Any) -> LazyLoad:
    assert report.lazy_loads == 1, str(report)
    (load,) = report.loads
    return load


@pytest.mark.parametrize("kind", KINDS)
def test_sync_context(kind: str, library: Any) -> None:
    make_qs, touch, model, field, fix = KINDS[kind]
    # Origins are stamped while a scope is open: load inside the block.
    with probe() as report:
        touch(first_of(make_qs()))
    load = _only_load(report)
    assert (load.model, load.field, load.kind, load.context) == (
        model,
        field,
        kind,
        "sync",
    )
    assert load.async_view is False
    assert load.callsite is not None and load.callsite.filename == HERE
    assert str(load.origin) == f"{HERE}:{LOAD_LINE}"
    assert load.suggestion == f"{fix} at {HERE}:{LOAD_LINE}"


@pytest.mark.parametrize("kind", KINDS)
async def test_worker_context(kind: str, library: Any) -> None:
    make_qs, touch, model, field, fix = KINDS[kind]
    async with probe() as report:
        obj = await sync_to_async(first_of)(make_qs())
        await sync_to_async(touch)(obj)
    load = _only_load(report)
    assert (load.model, load.field, load.kind, load.context) == (
        model,
        field,
        kind,
        "worker",
    )
    assert load.suggestion == f"{fix} at {HERE}:{LOAD_LINE}"
    # The load happened inside the second of the block's two hops.
    loading, touching = report.hops
    assert load.hop_id == touching.id
    assert (loading.cause, touching.cause) == ("user", "user")


@pytest.mark.parametrize("kind", KINDS)
async def test_event_loop_context(kind: str, library: Any) -> None:
    make_qs, touch, model, field, fix = KINDS[kind]
    async with probe() as report:
        obj = await afirst_of(make_qs())
        # Django refuses the query on the loop; the attempt is still a lazy load.
        with pytest.raises(SynchronousOnlyOperation):
            touch(obj)
    load = _only_load(report)
    assert (load.model, load.field, load.kind, load.context) == (
        model,
        field,
        kind,
        "event_loop",
    )
    assert load.suggestion == f"{fix} at {HERE}:{ALOAD_LINE}"
    (loading,) = report.hops  # the async iteration; the touch made none
    assert (loading.cause, loading.callsite.lineno) == ("orm", ALOAD_LINE)


def test_loaded_relations_are_not_lazy(library: Any) -> None:
    books = list(
        Book.objects.select_related("author__profile").prefetch_related("tags")
    )
    authors = list(Author.objects.prefetch_related("books"))
    with probe() as report:
        for book in books:
            _ = book.author.profile.website, [t.name for t in book.tags.all()]
            _ = book.tags.count()
        for author in authors:
            _ = [b.title for b in author.books.all()]
    assert report.lazy_loads == 0, str(report)


def test_n_plus_one_is_one_group_with_the_repeat_count(library: Any) -> None:
    with probe() as report:
        for book in Book.objects.order_by("id"):
            book.author  # noqa: B018
    assert report.lazy_loads == 3
    (group,) = report.load_groups
    assert (group.label, group.count, group.kind) == (
        "testapp.Book.author",
        3,
        "forward",
    )


def test_nested_load_suggests_the_whole_path(library: Any) -> None:
    with probe() as report:
        book = first_of(Book.objects.order_by("id"))
        book.author.profile  # noqa: B018
    first, second = report.loads
    assert first.suggestion == f'add .select_related("author") at {HERE}:{LOAD_LINE}'
    assert second.field == "profile"
    assert (
        second.suggestion
        == f'add .select_related("author__profile") at {HERE}:{LOAD_LINE}'
    )


def test_through_a_to_many_the_fix_is_prefetch(library: Any) -> None:
    with probe() as report:
        author = first_of(Author.objects.order_by("id"))
        for book in author.books.all():
            book.publisher  # noqa: B018
    assert [load.kind for load in report.loads] == [
        "reverse_many",
        "forward",
        "forward",
    ]
    assert report.loads[1].suggestion == (
        f'add .prefetch_related("books__publisher") at {HERE}:{LOAD_LINE}'
    )


def test_related_manager_count_and_exists_are_lazy(library: Any) -> None:
    author = first_of(Author.objects.order_by("id"))
    with probe() as report:
        assert author.books.count() == 2
        assert author.books.exists()
        list(author.books.filter(title="x"))  # an explicit query, not a lazy load
    assert [(load.field, load.kind) for load in report.loads] == [
        ("books", "reverse_many"),
        ("books", "reverse_many"),
    ]


def test_ignore_patterns(library: Any, settings: Any) -> None:
    settings.ASYNC_PROBE = {"IGNORE": ["testapp.Book.author", "testapp.*.tags"]}
    with probe() as report:
        book = first_of(Book.objects.order_by("id"))
        book.author  # noqa: B018
        list(book.tags.all())
        book.publisher  # noqa: B018
    assert [load.field for load in report.loads] == ["publisher"]
    assert report.lazy_loads == 1


def test_no_scope_records_nothing_and_queries_as_usual(library: Any) -> None:
    book = first_of(Book.objects.order_by("id"))
    with CaptureQueriesContext(connection) as queries:
        assert book.author.name == "Ann"
    assert len(queries) == 1


def test_callsites_off(library: Any, settings: Any) -> None:
    settings.ASYNC_PROBE = {"CALLSITES": False}
    book = Book.objects.order_by("id").first()
    with probe() as report:
        book.author  # noqa: B018
    load = _only_load(report)
    assert load.callsite is None and load.origin is None
    assert load.suggestion == 'add .select_related("author")'


def test_counting_without_callsites_records_each_load_and_loads_as_usual(
    library: Any, settings: Any
) -> None:
    # With no origin to hand on, the load goes straight to Django's own fetch.
    settings.ASYNC_PROBE = {"CALLSITES": False, "HOP_TIMING": False}
    books = list(Book.objects.order_by("id"))
    with probe() as report, CaptureQueriesContext(connection) as queries:
        names = [book.author.name for book in books]
    assert names == ["Ann", "Ann", "Bob"]
    assert len(queries) == 3
    assert report.lazy_loads == 3
    assert [(load.model, load.field, load.kind) for load in report.loads] == [
        ("testapp.Book", "author", "forward")
    ] * 3
    assert all(load.origin is None for load in report.loads)


def test_stacks(library: Any, settings: Any) -> None:
    settings.ASYNC_PROBE = {"STACKS": True}
    book = first_of(Book.objects.order_by("id"))
    with probe() as report:
        book.author  # noqa: B018
    load = _only_load(report)
    assert any("test_stacks" in line for line in load.stack)


fetch_modes = pytest.mark.skipif(
    django.VERSION < (6, 1), reason="fetch modes are new in Django 6.1"
)


@fetch_modes
def test_fetch_peers_still_loads_all_peers_in_one_query(library: Any) -> None:
    from django.db.models import FETCH_PEERS

    books = list(Book.objects.fetch_mode(FETCH_PEERS).order_by("id"))
    with probe() as report, CaptureQueriesContext(connection) as queries:
        names = [book.author.name for book in books]
    assert names == ["Ann", "Ann", "Bob"]
    assert len(queries) == 1  # the user's choice of mode is kept
    load = _only_load(report)  # one query, one lazy load
    assert load.kind == "forward"


@fetch_modes
def test_fetch_raise_still_raises(library: Any) -> None:
    from django.core.exceptions import FieldFetchBlocked
    from django.db.models import FETCH_RAISE

    book = first_of(Book.objects.fetch_mode(FETCH_RAISE).order_by("id"))
    with probe() as report, pytest.raises(FieldFetchBlocked):
        book.author  # noqa: B018
    assert _only_load(report).field == "author"


async def _load_first_book() -> Any:
    return await Book.objects.order_by("id").afirst()


AFIRST_LINE = _load_first_book.__code__.co_firstlineno + 1


def test_origin_of_rows_loaded_by_a_hop_run_on_this_very_thread(library: Any) -> None:
    # Under a sync runner (manage.py test), async_to_sync makes this thread run
    # the thread-sensitive ORM hop itself: the walk must stop at asgiref's
    # worker entry, not climb into the runner's frames above it.
    with probe() as report:
        book = async_to_sync(_load_first_book)()
        book.author  # noqa: B018
    load = _only_load(report)
    assert str(load.origin) == f"{HERE}:{AFIRST_LINE}"
