"""The plan's starting point: create/detail, retry and the completed-detail view
were already async (without their select_related); the list and the current
score were still the sync originals."""

from oj.account.decorators import login_required
from oj.problem.models import Problem
from oj.utils.api import APIView
from oj.utils.legacy import PlanStartingPoint
from oj.utils.shortcuts import check_is_id

from ..queries import (
    current_result,
    latest_scores,
    list_problem_queryset,
    submission_list_queryset,
)
from ..serializers import FlowchartSubmissionListSerializer
from . import oj


class FlowchartSubmissionAPI(PlanStartingPoint, oj.FlowchartSubmissionAPI):
    pass


class FlowchartSubmissionRetryAPI(PlanStartingPoint, oj.FlowchartSubmissionRetryAPI):
    pass


class FlowchartSubmissionDetailAPI(PlanStartingPoint, oj.FlowchartSubmissionDetailAPI):
    pass


class FlowchartSubmissionListAPI(APIView):
    @login_required
    def get(self, request):
        problem = None
        problem_id = request.GET.get("problem_id")
        if problem_id:
            problem = list_problem_queryset(problem_id).first()
            if problem is None:
                return self.error("Problem doesn't exist")
        submissions = submission_list_queryset(request.GET, request.user, problem)
        return self.success(
            self.paginate_data(request, submissions, FlowchartSubmissionListSerializer)
        )


class FlowchartSubmissionCurrentAPI(APIView):
    @login_required
    def get(self, request):
        problem_id = request.GET.get("problem_id")
        if not problem_id:
            return self.error("problem_id is required")
        problem = (
            Problem.objects.filter(id=problem_id).first()
            if check_is_id(problem_id)
            else None
        )
        if problem is None:
            return self.error("Problem doesn't exist")
        scores = latest_scores(request.user, problem)
        count = scores.count()
        return self.success(current_result(scores.first() if count else None, count))
