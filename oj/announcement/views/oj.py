from oj.utils.api import AsyncAPIView
from oj.utils.shortcuts import check_is_id, with_related

from ..models import Announcement
from ..serializers import AnnouncementListSerializer, AnnouncementSerializer


class AnnouncementAPI(AsyncAPIView):
    # Task 2: AnnouncementSerializer reads created_by; load it in the same query.
    detail_select_related = ("created_by",)

    async def get(self, request):
        id = request.GET.get("id")
        if id:
            if not check_is_id(id):
                return self.error("Announcement does not exist")
            announcement = await with_related(
                Announcement.objects.filter(id=id, visible=True),
                self.detail_select_related,
            ).afirst()
            if announcement is None:
                return self.error("Announcement does not exist")
            return self.success(
                await self.async_serialize_data(AnnouncementSerializer, announcement)
            )

        announcements = Announcement.objects.select_related("created_by").filter(
            visible=True
        )
        return self.success(
            await self.async_paginate_data(
                request, announcements, AnnouncementListSerializer
            )
        )
