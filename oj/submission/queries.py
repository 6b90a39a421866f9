"""Shared by the async submission list and its sync original."""

from .models import Submission


def submission_list_queryset(params, user, problem=None):
    """Public (non-contest) submissions, newest first, with ``problem`` selected
    for SubmissionListSerializer. ``problem`` is the already-resolved
    ``?problem_id=`` filter."""
    submissions = Submission.objects.filter(contest_id__isnull=True).select_related(
        "problem"
    )
    if problem is not None:
        submissions = submissions.filter(problem=problem)
    myself = params.get("myself")
    username = params.get("username")
    result = params.get("result")
    if myself == "1":
        submissions = submissions.filter(user_id=user.id)
    elif username:
        submissions = submissions.filter(username__icontains=username)
    if result:
        submissions = submissions.filter(result=result)
    return submissions


def public_problem_filter(problem_id):
    return {"_id": problem_id, "contest_id__isnull": True, "visible": True}
