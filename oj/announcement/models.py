from django.conf import settings
from django.db import models


class Announcement(models.Model):
    title = models.TextField()
    # HTML
    content = models.TextField()
    tag = models.TextField(default="")
    create_time = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    last_update_time = models.DateTimeField(auto_now=True)
    visible = models.BooleanField(default=True)
    top = models.BooleanField(default=False)

    class Meta:
        db_table = "announcement"
        ordering = ("-top", "-create_time", "-id")

    def __str__(self):
        return self.title
