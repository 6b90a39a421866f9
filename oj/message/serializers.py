from oj.submission.serializers import SubmissionSafeModelSerializer
from oj.utils.api import UsernameSerializer, serializers

from .models import Message


class MessageSerializer(serializers.ModelSerializer):
    """Reads ``sender`` and ``submission__problem``: select them."""

    sender = UsernameSerializer()
    submission = SubmissionSafeModelSerializer()

    class Meta:
        model = Message
        exclude = ["recipient"]


class CreateMessageSerializer(serializers.Serializer):
    recipient = serializers.IntegerField()
    submission = serializers.CharField()
    message = serializers.CharField()
