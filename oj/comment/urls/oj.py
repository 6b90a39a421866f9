from oj.routing import Route

from ..views import legacy, oj

routes = [
    Route("comment", oj.CommentAPI, legacy=legacy.CommentAPI, name="comment_api"),
    Route(
        "comment/statistics",
        oj.CommentStatisticsAPI,
        legacy=legacy.CommentStatisticsAPI,
        name="comment_statistics_api",
    ),
]
