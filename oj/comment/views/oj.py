from oj.account.decorators import login_required
from oj.problem.models import Problem
from oj.utils.api import AsyncAPIView, validate_serializer
from oj.utils.async_helpers import AsyncCacheMixin
from oj.utils.shortcuts import check_is_id

from ..models import Comment
from ..queries import (
    accepted_submission_queryset,
    comment_language,
    comments_of,
    rating_aggregates,
    statistics,
    stats_cache_key,
)
from ..serializers import CommentSerializer, CreateCommentSerializer


class CommentAPI(AsyncCacheMixin, AsyncAPIView):
    @login_required
    @validate_serializer(CreateCommentSerializer)
    async def post(self, request):
        data = request.data
        problem = await Problem.objects.filter(
            id=data["problem_id"], visible=True
        ).afirst()
        if problem is None:
            return self.error("Problem does not exist")
        submission = await accepted_submission_queryset(
            request.user, problem.id
        ).afirst()
        if submission is None:
            return self.error("Submission does not exist or is not accepted")
        await Comment.objects.acreate(
            user=request.user,
            problem=problem,
            submission=submission,
            language=comment_language(submission),
            description_rating=data["description_rating"],
            difficulty_rating=data["difficulty_rating"],
            comprehensive_rating=data["comprehensive_rating"],
            content=data.get("content", ""),
        )
        await self.cache_delete(stats_cache_key(problem.id))
        return self.success()

    @login_required
    async def get(self, request):
        """The user's own comment on ``?problem_id=``, or null."""
        problem_id = request.GET.get("problem_id")
        if not check_is_id(problem_id):
            return self.error("problem_id is required")
        comment = await Comment.objects.filter(
            user_id=request.user.id, problem_id=problem_id
        ).afirst()
        if comment is None:
            return self.success()
        return self.success(await self.async_serialize_data(CommentSerializer, comment))


class CommentStatisticsAPI(AsyncCacheMixin, AsyncAPIView):
    async def get(self, request):
        problem_id = request.GET.get("problem_id")
        if not check_is_id(problem_id):
            return self.error("problem_id is required")
        cache_key = stats_cache_key(problem_id)
        cached = await self.cache_get(cache_key)
        if cached is not None:
            return self.success(cached)
        data = statistics(
            await comments_of(problem_id).aaggregate(**rating_aggregates())
        )
        if data is None:
            return self.success()
        await self.cache_set(cache_key, data, 3600)
        return self.success(data)
