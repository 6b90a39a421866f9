from oj.account.decorators import login_required
from oj.problem.models import Problem
from oj.utils.api import AsyncAPIView

from ..queries import public_problem_filter, submission_list_queryset
from ..serializers import SubmissionListSerializer


class SubmissionListAPI(AsyncAPIView):
    @login_required
    async def get(self, request):
        if not request.GET.get("limit"):
            return self.error("Limit is needed")
        if request.GET.get("contest_id"):
            return self.error("Parameter error")
        problem = None
        problem_id = request.GET.get("problem_id")
        if problem_id:
            problem = await Problem.objects.filter(
                **public_problem_filter(problem_id)
            ).afirst()
            if problem is None:
                return self.error("Problem doesn't exist")
        submissions = submission_list_queryset(request.GET, request.user, problem)
        data = await self.async_paginate_data(request, submissions)
        data["results"] = await self.async_serialize_data(
            SubmissionListSerializer, data["results"], many=True, user=request.user
        )
        return self.success(data)
