"""Shared by the comment views."""

from django.db.models import Avg, Count

from oj.submission.models import JudgeStatus, Submission
from oj.utils.constants import CacheKey

from .models import Comment


def stats_cache_key(problem_id):
    return f"{CacheKey.comment_stats}:{problem_id}"


def accepted_submission_queryset(user, problem_id):
    """Only a user who solved the problem may rate it."""
    return Submission.objects.filter(
        user_id=user.id, problem_id=problem_id, result=JudgeStatus.ACCEPTED
    )


def comment_language(submission):
    return "Python" if submission.language.startswith("Python") else submission.language


def rating_aggregates():
    return {
        "count": Count("id"),
        "description": Avg("description_rating"),
        "difficulty": Avg("difficulty_rating"),
        "comprehensive": Avg("comprehensive_rating"),
    }


def statistics(aggregated):
    """The response body for ``Comment.objects.filter(...).aggregate(...)``."""
    if not aggregated["count"]:
        return None
    return {
        "count": aggregated["count"],
        "rating": {
            name: round(aggregated[name], 2)
            for name in ("description", "difficulty", "comprehensive")
        },
    }


def comments_of(problem_id):
    return Comment.objects.filter(problem_id=problem_id)
