"""The plan's starting point: the tag list was already async but used the sync
cache API; the problem list and detail were still the sync original."""

from oj.account.models import UserProfile
from oj.utils.api import APIView
from oj.utils.legacy import PlanStartingPoint

from ..queries import (
    add_problem_status,
    failed_submissions,
    problem_list_queryset,
    public_problems,
)
from ..serializers import ProblemListSerializer, ProblemSerializer
from . import oj


class ProblemTagAPI(PlanStartingPoint, oj.ProblemTagAPI):
    pass


class ProblemAPI(APIView):
    def get(self, request):
        user = request.user
        problem_id = request.GET.get("problem_id")
        if problem_id:
            problem = public_problems().filter(_id=problem_id).first()
            if problem is None:
                return self.error("Problem does not exist")
            data = ProblemSerializer(problem).data
            data["my_failed_count"] = 0
            if user.is_authenticated:
                profile = UserProfile.objects.filter(user_id=user.id).first()
                add_problem_status(profile, [data])
                data["my_failed_count"] = failed_submissions(user, problem).count()
            return self.success(data)

        if not request.GET.get("limit"):
            return self.error("Limit is needed")
        problems = problem_list_queryset(request.GET)
        data = self.paginate_data(request, problems, ProblemListSerializer)
        if user.is_authenticated:
            profile = UserProfile.objects.filter(user_id=user.id).first()
            add_problem_status(profile, data["results"])
        return self.success(data)
