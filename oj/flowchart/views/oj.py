from oj.account.decorators import login_required
from oj.problem.models import Problem
from oj.utils.api import APIError, AsyncAPIView, validate_serializer
from oj.utils.shortcuts import check_is_id, with_related

from ..models import FlowchartSubmission
from ..queries import (
    RETRYABLE,
    completed_submissions,
    current_result,
    latest_scores,
    list_problem_queryset,
    submission_list_queryset,
)
from ..serializers import (
    CreateFlowchartSubmissionSerializer,
    FlowchartSubmissionListSerializer,
    FlowchartSubmissionSerializer,
)

# Created and retried submissions wait as PENDING for the evaluator, which runs
# outside this backend.


async def get_problem(problem_id):
    if not check_is_id(problem_id):
        return None
    return await Problem.objects.filter(id=problem_id).afirst()


async def get_own_submission(submission_id, user, select_related):
    """The submission the user may see, loaded with what the caller reads."""
    if not submission_id:
        raise APIError("submission_id is required")
    submission = await with_related(
        FlowchartSubmission.objects.filter(id=submission_id), select_related
    ).afirst()
    if submission is None:
        raise APIError("Submission doesn't exist")
    if not submission.check_user_permission(user):
        raise APIError("No permission for this submission")
    return submission


class FlowchartSubmissionAPI(AsyncAPIView):
    # Task 2: the serializer reads user, the permission check problem.
    detail_select_related = ("user", "problem")

    @login_required
    @validate_serializer(CreateFlowchartSubmissionSerializer)
    async def post(self, request):
        data = request.data
        problem = await Problem.objects.filter(
            id=data["problem_id"], visible=True
        ).afirst()
        if problem is None:
            return self.error("Problem doesn't exist")
        if not problem.allow_flowchart:
            return self.error("This problem does not allow flowchart submission")
        submission = await FlowchartSubmission.objects.acreate(
            user=request.user,
            problem=problem,
            mermaid_code=data["mermaid_code"],
            flowchart_data=data["flowchart_data"],
        )
        return self.success({"submission_id": submission.id, "status": "pending"})

    @login_required
    async def get(self, request):
        submission = await get_own_submission(
            request.GET.get("id"), request.user, self.detail_select_related
        )
        return self.success(
            await self.async_serialize_data(FlowchartSubmissionSerializer, submission)
        )


class FlowchartSubmissionListAPI(AsyncAPIView):
    @login_required
    async def get(self, request):
        problem = None
        problem_id = request.GET.get("problem_id")
        if problem_id:
            problem = await list_problem_queryset(problem_id).afirst()
            if problem is None:
                return self.error("Problem doesn't exist")
        submissions = submission_list_queryset(request.GET, request.user, problem)
        return self.success(
            await self.async_paginate_data(
                request, submissions, FlowchartSubmissionListSerializer
            )
        )


class FlowchartSubmissionRetryAPI(AsyncAPIView):
    # Task 2: check_user_permission reads problem.
    detail_select_related = ("problem",)

    @login_required
    async def post(self, request):
        submission = await get_own_submission(
            request.data.get("submission_id"), request.user, self.detail_select_related
        )
        if submission.status not in RETRYABLE:
            return self.error("Submission is not in a state that allows retry")
        submission.reset_evaluation()
        await submission.asave()
        return self.success(
            {
                "submission_id": submission.id,
                "status": "pending",
                "message": "AI evaluation restarted",
            }
        )


class FlowchartSubmissionDetailAPI(AsyncAPIView):
    """The user's completed submissions on a problem, one per page (``page=0``:
    the latest)."""

    # Task 2: the serializer reads user.
    detail_select_related = ("user", "problem")

    @login_required
    async def get(self, request):
        problem_id = request.GET.get("problem_id")
        if not problem_id:
            return self.error("problem_id is required")
        problem = await get_problem(problem_id)
        if problem is None:
            return self.error("Problem doesn't exist")
        try:
            page = int(request.GET.get("page", 0))
        except ValueError:
            return self.error("page must be an integer")
        submissions = with_related(
            completed_submissions(request.user, problem).order_by("create_time"),
            self.detail_select_related,
        )
        count = await submissions.acount()
        if count == 0:
            return self.success({"submission": None, "count": 0})
        if page == 0:
            submission = await submissions.alast()
        elif 0 < page <= count:
            submission = await submissions[page - 1 : page].afirst()
        else:
            return self.error("Page out of range")
        data = await self.async_serialize_data(
            FlowchartSubmissionSerializer, submission
        )
        return self.success({"submission": data, "count": count})


class FlowchartSubmissionCurrentAPI(AsyncAPIView):
    @login_required
    async def get(self, request):
        problem_id = request.GET.get("problem_id")
        if not problem_id:
            return self.error("problem_id is required")
        problem = await get_problem(problem_id)
        if problem is None:
            return self.error("Problem doesn't exist")
        scores = latest_scores(request.user, problem)
        count = await scores.acount()
        latest = await scores.afirst() if count else None
        return self.success(current_result(latest, count))
