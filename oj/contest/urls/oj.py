from oj.routing import Route

from ..views import legacy, oj

routes = [
    Route("contest", oj.ContestAPI, legacy=legacy.ContestAPI, name="contest_api"),
    Route(
        "contests",
        oj.ContestListAPI,
        legacy=legacy.ContestListAPI,
        name="contest_list_api",
    ),
    Route(
        "contest/password",
        oj.ContestPasswordVerifyAPI,
        name="contest_password_api",
    ),
    Route("contest/access", oj.ContestAccessAPI, name="contest_access_api"),
]
