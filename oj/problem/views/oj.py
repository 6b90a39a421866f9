from urllib.parse import quote

from oj.account.decorators import check_contest_permission, resolve_user
from oj.account.models import UserProfile
from oj.utils.api import APIView, AsyncAPIView
from oj.utils.async_helpers import AsyncCacheMixin
from oj.utils.constants import CacheKey

from ..models import Problem
from ..queries import (
    add_problem_status,
    failed_submissions,
    problem_list_queryset,
    public_problems,
    tag_queryset,
)
from ..serializers import (
    ProblemListSerializer,
    ProblemSafeSerializer,
    ProblemSerializer,
    TagSerializer,
)


def tag_cache_key(keyword):
    # quoted and bounded: cache keys must not hold spaces or grow without limit
    return f"{CacheKey.problem_tags}:{quote(keyword[:64])}"


class ProblemTagAPI(AsyncCacheMixin, AsyncAPIView):
    async def get(self, request):
        keyword = request.GET.get("keyword", "")
        cache_key = tag_cache_key(keyword)
        cached = await self.cache_get(cache_key)
        if cached is not None:
            return self.success(cached)
        tags = [tag async for tag in tag_queryset(keyword)]
        data = await self.async_serialize_data(TagSerializer, tags, many=True)
        await self.cache_set(cache_key, data, 3600)
        return self.success(data)


class ProblemAPI(AsyncAPIView):
    async def get(self, request):
        user = await resolve_user(request)
        problem_id = request.GET.get("problem_id")
        if problem_id:
            problem = await public_problems().filter(_id=problem_id).afirst()
            if problem is None:
                return self.error("Problem does not exist")
            data = await self.async_serialize_data(ProblemSerializer, problem)
            data["my_failed_count"] = 0
            if user.is_authenticated:
                profile = await UserProfile.objects.filter(user_id=user.id).afirst()
                add_problem_status(profile, [data])
                data["my_failed_count"] = await failed_submissions(
                    user, problem
                ).acount()
            return self.success(data)

        if not request.GET.get("limit"):
            return self.error("Limit is needed")
        problems = problem_list_queryset(request.GET)
        data = await self.async_paginate_data(request, problems, ProblemListSerializer)
        if user.is_authenticated:
            profile = await UserProfile.objects.filter(user_id=user.id).afirst()
            add_problem_status(profile, data["results"])
        return self.success(data)


class ContestProblemAPI(APIView):
    """Problems of a contest: contest permission-heavy, so sync (rule 4)."""

    @check_contest_permission(check_type="problems")
    def get(self, request):
        user = request.user
        details = self.contest.problem_details_permission(user)
        # As in the original: tags are not prefetched, one query per problem. This
        # sync view is outside the plan; the probe reports the N+1 it makes.
        problems = Problem.objects.select_related("created_by").filter(
            contest=self.contest, visible=True
        )
        problem_id = request.GET.get("problem_id")
        if problem_id:
            problem = problems.filter(_id=problem_id).first()
            if problem is None:
                return self.error("Problem does not exist.")
            if not details:
                return self.success(ProblemSafeSerializer(problem).data)
            data = ProblemSerializer(problem).data
            add_problem_status(self._profile(user), [data])
            return self.success(data)

        if not details:
            return self.success(ProblemSafeSerializer(problems, many=True).data)
        data = ProblemListSerializer(problems, many=True).data
        add_problem_status(self._profile(user), data)
        return self.success(data)

    @staticmethod
    def _profile(user):
        return UserProfile.objects.filter(user_id=user.id).first()
