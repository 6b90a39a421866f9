"""The sync original of the message endpoints (Task 6 converts them)."""

from oj.account.decorators import login_required, super_admin_required
from oj.utils.api import APIView, validate_serializer

from ..queries import (
    SELF_MESSAGE_ERROR,
    inbox,
    new_message,
    recipient_queryset,
    submission_queryset,
)
from ..serializers import CreateMessageSerializer, MessageSerializer


class MessageAPI(APIView):
    @login_required
    def get(self, request):
        return self.success(
            self.paginate_data(request, inbox(request.user), MessageSerializer)
        )

    @validate_serializer(CreateMessageSerializer)
    @super_admin_required
    def post(self, request):
        data = request.data
        if data["recipient"] == request.user.id:
            return self.error(SELF_MESSAGE_ERROR)
        recipient = recipient_queryset(data).first()
        if recipient is None:
            return self.error("User does not exist")
        submission = submission_queryset(data).first()
        if submission is None:
            return self.error("Submission does not exist")
        new_message(data, request.user, recipient, submission).save()
        return self.success()
