"""Querysets and helpers shared by the async problem views and their sync
originals. Building a queryset runs no query."""

from django.db.models import Count, Q

from oj.submission.models import JudgeStatus, Submission

from .models import Problem, ProblemTag

SORTABLE_FIELDS = {
    f"{sign}{field}"
    for sign in ("", "-")
    for field in (
        "create_time",
        "_id",
        "difficulty",
        "submission_number",
        "accepted_number",
    )
}

FAILED_STATUSES = (
    JudgeStatus.WRONG_ANSWER,
    JudgeStatus.CPU_TIME_LIMIT_EXCEEDED,
    JudgeStatus.REAL_TIME_LIMIT_EXCEEDED,
    JudgeStatus.MEMORY_LIMIT_EXCEEDED,
    JudgeStatus.RUNTIME_ERROR,
    JudgeStatus.COMPILE_ERROR,
)


def tag_queryset(keyword):
    """Tags used by at least one problem, optionally matching ``keyword``."""
    tags = ProblemTag.objects.all()
    if keyword:
        tags = tags.filter(name__icontains=keyword)
    # explicit order: Meta.ordering is ignored in GROUP BY queries
    return (
        tags.annotate(problem_count=Count("problem"))
        .filter(problem_count__gt=0)
        .order_by("name")
    )


def public_problems():
    """Visible problems outside contests, with what the serializers read loaded."""
    return (
        Problem.objects.select_related("created_by")
        .prefetch_related("tags")
        .filter(contest_id__isnull=True, visible=True)
    )


def problem_list_queryset(params):
    problems = public_problems().order_by("-create_time")
    author = params.get("author")
    if author:
        problems = problems.filter(created_by__username=author)
    tag = params.get("tag")
    if tag:
        problems = problems.filter(tags__name=tag)
    keyword = params.get("keyword", "").strip()
    if keyword:
        problems = problems.filter(
            Q(title__icontains=keyword) | Q(_id__icontains=keyword)
        )
    difficulty = params.get("difficulty")
    if difficulty:
        problems = problems.filter(difficulty=difficulty)
    sort = params.get("sort")
    if sort == "flowchart":
        problems = problems.order_by(
            "-allow_flowchart", "-show_flowchart", "-create_time"
        )
    elif sort in SORTABLE_FIELDS:
        problems = problems.order_by(sort)
    return problems


def failed_submissions(user, problem):
    return Submission.objects.filter(
        user_id=user.id, problem_id=problem.id, result__in=FAILED_STATUSES
    )


def add_problem_status(profile, problems):
    """Mark each serialized problem with the user's result on it (``my_status``)."""
    statuses = profile.acm_problems_status.get("problems", {}) if profile else {}
    for problem in problems:
        problem["my_status"] = statuses.get(str(problem["id"]), {}).get("status")
