"""Shared by the async flowchart views and their sync originals."""

from django.utils import timezone

from oj.problem.models import Problem

from .models import FlowchartSubmission, FlowchartSubmissionStatus

RETRYABLE = (FlowchartSubmissionStatus.FAILED, FlowchartSubmissionStatus.COMPLETED)


def list_problem_queryset(problem_id):
    return Problem.objects.filter(
        _id__iexact=problem_id, contest_id__isnull=True, visible=True
    )


def submission_list_queryset(params, user, problem=None):
    """Flowchart submissions for the list, ``user`` and ``problem`` selected for
    FlowchartSubmissionListSerializer. Regular users see only their own unless they
    filter by username."""
    submissions = FlowchartSubmission.objects.select_related("user", "problem")
    if problem is not None:
        submissions = submissions.filter(problem=problem)
    if params.get("myself") == "1":
        submissions = submissions.filter(user_id=user.id)
    elif params.get("username"):
        submissions = submissions.filter(user__username__icontains=params["username"])
    elif user.is_regular_user():
        submissions = submissions.filter(user_id=user.id)
    if params.get("today") == "1":
        midnight = timezone.localtime().replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        submissions = submissions.filter(create_time__gte=midnight)
    return submissions


def completed_submissions(user, problem):
    return FlowchartSubmission.objects.filter(
        user_id=user.id, problem=problem, status=FlowchartSubmissionStatus.COMPLETED
    )


def latest_scores(user, problem):
    return (
        completed_submissions(user, problem)
        .values("ai_score", "ai_grade")
        .order_by("-create_time")
    )


def current_result(latest, count):
    """The user's latest completed score on a problem; ``latest`` is the first
    row of ``latest_scores``."""
    if not count:
        return {"count": 0, "score": 0, "grade": ""}
    return {"count": count, "score": latest["ai_score"], "grade": latest["ai_grade"]}
