from django.db import models

from oj.utils.constants import ContestStatus
from oj.utils.shortcuts import rand_str


class JudgeStatus:
    COMPILE_ERROR = -2
    WRONG_ANSWER = -1
    ACCEPTED = 0
    CPU_TIME_LIMIT_EXCEEDED = 1
    REAL_TIME_LIMIT_EXCEEDED = 2
    MEMORY_LIMIT_EXCEEDED = 3
    RUNTIME_ERROR = 4
    SYSTEM_ERROR = 5
    PENDING = 6
    JUDGING = 7
    PARTIALLY_ACCEPTED = 8


class Submission(models.Model):
    id = models.TextField(default=rand_str, primary_key=True)
    contest = models.ForeignKey("contest.Contest", null=True, on_delete=models.CASCADE)
    problem = models.ForeignKey("problem.Problem", on_delete=models.CASCADE)
    create_time = models.DateTimeField(auto_now_add=True)
    # not a foreign key, as in the original OJ: submissions outlive their users
    user_id = models.IntegerField(db_index=True)
    username = models.TextField()
    code = models.TextField()
    result = models.IntegerField(db_index=True, default=JudgeStatus.PENDING)
    # judge server's detailed answer
    info = models.JSONField(default=dict)
    language = models.TextField()
    shared = models.BooleanField(default=False)
    # {"time_cost": ..., "memory_cost": ..., "err_info": ..., "score": 0}
    statistic_info = models.JSONField(default=dict)
    ip = models.TextField(null=True)

    class Meta:
        db_table = "submission"
        ordering = ("-create_time", "id")

    def __str__(self):
        return self.id

    def check_user_permission(self, user, check_share=True):
        """May ``user`` see this submission? Reads ``problem`` (and ``contest``
        when sharing is checked): load them with the submission."""
        if (
            self.user_id == user.id
            or not user.is_regular_user()
            or self.problem.created_by_id == user.id
        ):
            return True
        if check_share:
            if self.contest_id and self.contest.status != ContestStatus.CONTEST_ENDED:
                return False
            if self.problem.share_submission or self.shared:
                return True
        return False
