"""Shared by the async message views and their sync originals."""

from oj.account.models import User
from oj.submission.models import Submission

from .models import Message

SELF_MESSAGE_ERROR = "Can not send a message to yourself"


def inbox(user):
    return Message.objects.select_related("sender", "submission__problem").filter(
        recipient_id=user.id
    )


def recipient_queryset(data):
    return User.objects.filter(id=data["recipient"], is_disabled=False)


def submission_queryset(data):
    return Submission.objects.filter(id=data["submission"])


def new_message(data, sender, recipient, submission):
    return Message(
        submission=submission,
        message=data["message"],
        sender=sender,
        recipient=recipient,
    )
