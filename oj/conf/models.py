from datetime import timedelta

from django.db import models
from django.utils import timezone


class JudgeServer(models.Model):
    hostname = models.TextField(unique=True)
    ip = models.TextField(null=True)
    judger_version = models.TextField()
    cpu_core = models.IntegerField()
    memory_usage = models.FloatField()
    cpu_usage = models.FloatField()
    last_heartbeat = models.DateTimeField()
    create_time = models.DateTimeField(auto_now_add=True)
    task_number = models.IntegerField(default=0)
    service_url = models.TextField(null=True)
    is_disabled = models.BooleanField(default=False)

    class Meta:
        db_table = "judge_server"
        ordering = ("hostname",)

    def __str__(self):
        return self.hostname

    @property
    def status(self):
        # no heartbeat for more than 6 seconds: consider it down
        if timezone.now() - self.last_heartbeat > timedelta(seconds=6):
            return "abnormal"
        return "normal"
