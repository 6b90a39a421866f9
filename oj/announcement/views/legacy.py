"""The plan's starting point; see ``oj.utils.legacy``."""

from oj.utils.legacy import PlanStartingPoint

from . import oj


class AnnouncementAPI(PlanStartingPoint, oj.AnnouncementAPI):
    pass
