from oj.routing import Route

from ..views.admin import TestCaseAPI

routes = [
    Route("test_case", TestCaseAPI, name="test_case_api"),
]
