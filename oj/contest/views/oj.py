from django.utils.timezone import now

from oj.account.decorators import check_contest_password, login_required
from oj.utils.api import APIView, AsyncAPIView, validate_serializer
from oj.utils.constants import CONTEST_PASSWORD_SESSION_KEY
from oj.utils.shortcuts import check_is_id, datetime2str, with_related

from ..models import Contest
from ..queries import contest_list_queryset
from ..serializers import ContestPasswordVerifySerializer, ContestSerializer


class ContestAPI(AsyncAPIView):
    # Task 2: ContestSerializer reads created_by; load it in the same query.
    detail_select_related = ("created_by",)

    async def get(self, request):
        id = request.GET.get("id")
        if not id or not check_is_id(id):
            return self.error("Invalid parameter, id is required")
        contest = await with_related(
            Contest.objects.filter(id=id, visible=True), self.detail_select_related
        ).afirst()
        if contest is None:
            return self.error("Contest does not exist")
        data = await self.async_serialize_data(ContestSerializer, contest)
        data["now"] = datetime2str(now())
        return self.success(data)


class ContestListAPI(AsyncAPIView):
    async def get(self, request):
        contests = contest_list_queryset(request.GET)
        return self.success(
            await self.async_paginate_data(request, contests, ContestSerializer)
        )


# The password flow writes the session and feeds check_contest_permission: a
# contest permission-heavy flow, kept sync (the plan's rule 4).


class ContestPasswordVerifyAPI(APIView):
    @validate_serializer(ContestPasswordVerifySerializer)
    @login_required
    def post(self, request):
        data = request.data
        contest = Contest.objects.filter(
            id=data["contest_id"], visible=True, password__isnull=False
        ).first()
        if contest is None:
            return self.error("Contest does not exist")
        if not check_contest_password(data["password"], contest.password):
            return self.error("Wrong password or password expired")
        passwords = request.session.get(CONTEST_PASSWORD_SESSION_KEY, {})
        passwords[str(contest.id)] = data["password"]
        request.session[CONTEST_PASSWORD_SESSION_KEY] = passwords
        return self.success(True)


class ContestAccessAPI(APIView):
    @login_required
    def get(self, request):
        contest_id = request.GET.get("contest_id")
        if not contest_id or not check_is_id(contest_id):
            return self.error("Invalid parameter, contest_id is required")
        contest = Contest.objects.filter(
            id=contest_id, visible=True, password__isnull=False
        ).first()
        if contest is None:
            return self.error("Contest does not exist")
        session_password = request.session.get(CONTEST_PASSWORD_SESSION_KEY, {}).get(
            str(contest.id)
        )
        return self.success(
            {"access": check_contest_password(session_password, contest.password)}
        )
