from django.conf import settings
from django.db import models


class Message(models.Model):
    """A note from a teacher to a student about one of their submissions."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sender"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recipient"
    )
    submission = models.ForeignKey("submission.Submission", on_delete=models.CASCADE)
    # HTML
    message = models.TextField()
    create_time = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "message"
        ordering = ("-create_time", "-id")

    def __str__(self):
        return f"message {self.id} to {self.recipient_id}"
