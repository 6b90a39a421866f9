from oj.routing import Route

from ..views import legacy, oj

routes = [
    Route(
        "problem/tags",
        oj.ProblemTagAPI,
        legacy=legacy.ProblemTagAPI,
        name="problem_tag_list_api",
    ),
    Route("problem", oj.ProblemAPI, legacy=legacy.ProblemAPI, name="problem_api"),
    Route("contest/problem", oj.ContestProblemAPI, name="contest_problem_api"),
]
