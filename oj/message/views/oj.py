from oj.account.decorators import login_required, super_admin_required
from oj.utils.api import AsyncAPIView, validate_serializer

from ..queries import (
    SELF_MESSAGE_ERROR,
    inbox,
    new_message,
    recipient_queryset,
    submission_queryset,
)
from ..serializers import CreateMessageSerializer, MessageSerializer


class MessageAPI(AsyncAPIView):
    @login_required
    async def get(self, request):
        return self.success(
            await self.async_paginate_data(
                request, inbox(request.user), MessageSerializer
            )
        )

    @validate_serializer(CreateMessageSerializer)
    @super_admin_required
    async def post(self, request):
        data = request.data
        if data["recipient"] == request.user.id:
            return self.error(SELF_MESSAGE_ERROR)
        recipient = await recipient_queryset(data).afirst()
        if recipient is None:
            return self.error("User does not exist")
        submission = await submission_queryset(data).afirst()
        if submission is None:
            return self.error("Submission does not exist")
        await new_message(data, request.user, recipient, submission).asave()
        return self.success()
