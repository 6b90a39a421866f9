from django.conf import settings
from django.db import models
from django.utils.timezone import now

from oj.utils.constants import ContestRuleType, ContestStatus, ContestType


class Contest(models.Model):
    title = models.TextField()
    # HTML
    description = models.TextField()
    tag = models.TextField(default="")
    # show the real-time rank, or the cached one
    real_time_rank = models.BooleanField()
    password = models.TextField(null=True, blank=True)
    # one of ContestRuleType
    rule_type = models.TextField()
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()
    create_time = models.DateTimeField(auto_now_add=True)
    last_update_time = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    # False means deleted
    visible = models.BooleanField(default=True)
    # CIDRs that may submit, e.g. ["10.0.0.0/8"]; empty means everyone
    allowed_ip_ranges = models.JSONField(default=list)

    class Meta:
        db_table = "contest"
        ordering = ("-start_time", "-id")

    def __str__(self):
        return self.title

    @property
    def status(self):
        current = now()
        if self.start_time > current:
            return ContestStatus.CONTEST_NOT_START
        if self.end_time < current:
            return ContestStatus.CONTEST_ENDED
        return ContestStatus.CONTEST_UNDERWAY

    @property
    def contest_type(self):
        if self.password:
            return ContestType.PASSWORD_PROTECTED_CONTEST
        return ContestType.PUBLIC_CONTEST

    def problem_details_permission(self, user):
        """May ``user`` see submission and acceptance counts of the problems?"""
        return (
            self.rule_type == ContestRuleType.ACM
            or self.status == ContestStatus.CONTEST_ENDED
            or (user.is_authenticated and user.is_contest_admin(self))
            or self.real_time_rank
        )
