from django.urls import path

from . import views

urlpatterns = [
    path(f"{name}/", getattr(views, name), name=name)
    for name in (
        "async_plain",
        "sync_plain",
        "async_books_loop",
        "async_books_worker",
        "async_books_fixed",
        "sync_books",
        "async_orm",
        "async_cache",
        "sync_cache",
        "async_user_hop",
        "async_auser",
        "async_mixed",
    )
]
