from oj.routing import Route

from ..views import legacy, oj

routes = [
    Route(
        "announcement",
        oj.AnnouncementAPI,
        legacy=legacy.AnnouncementAPI,
        name="announcement_api",
    ),
]
