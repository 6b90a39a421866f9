from oj.routing import Route

from ..views import legacy, oj

routes = [
    Route(
        "submissions",
        oj.SubmissionListAPI,
        legacy=legacy.SubmissionListAPI,
        name="submission_list_api",
    ),
]
