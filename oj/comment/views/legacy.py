"""The plan's starting point: both comment views were already async but used the
sync cache API on the event loop (Task 4 "before")."""

from oj.utils.legacy import PlanStartingPoint

from . import oj


class CommentAPI(PlanStartingPoint, oj.CommentAPI):
    pass


class CommentStatisticsAPI(PlanStartingPoint, oj.CommentStatisticsAPI):
    pass
