from django.conf import settings
from django.db import models

from oj.utils.constants import Choices


class ProblemTag(models.Model):
    name = models.TextField(unique=True)

    class Meta:
        db_table = "problem_tag"
        ordering = ("name",)

    def __str__(self):
        return self.name


class ProblemRuleType(Choices):
    ACM = "ACM"
    OI = "OI"


class ProblemIOMode(Choices):
    standard = "Standard IO"
    file = "File IO"


def _default_io_mode():
    return {
        "io_mode": ProblemIOMode.standard,
        "input": "input.txt",
        "output": "output.txt",
    }


class Problem(models.Model):
    # display id, e.g. "1001"; unique per contest (null contest = public problem)
    _id = models.TextField(db_index=True)
    contest = models.ForeignKey("contest.Contest", null=True, on_delete=models.CASCADE)
    # for contest problems made public afterwards
    is_public = models.BooleanField(default=False)
    title = models.TextField()
    # HTML
    description = models.TextField()
    input_description = models.TextField()
    output_description = models.TextField()
    # [{"input": "1 2", "output": "3"}]
    samples = models.JSONField()
    test_case_id = models.TextField()
    # [{"input_name": "1.in", "output_name": "1.out", "score": 0}]
    test_case_score = models.JSONField()
    hint = models.TextField(null=True)
    languages = models.JSONField()
    # {"Python3": "//PREPEND BEGIN ... //TEMPLATE BEGIN ... //APPEND BEGIN ..."}
    template = models.JSONField()
    create_time = models.DateTimeField(auto_now_add=True)
    last_update_time = models.DateTimeField(auto_now=True, null=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    # ms
    time_limit = models.IntegerField()
    # MB
    memory_limit = models.IntegerField()
    io_mode = models.JSONField(default=_default_io_mode)
    # one of ProblemRuleType
    rule_type = models.TextField()
    visible = models.BooleanField(default=True)
    # one of Difficulty
    difficulty = models.TextField()
    tags = models.ManyToManyField(ProblemTag)
    source = models.TextField(null=True)
    # for OI problems
    total_score = models.IntegerField(default=0)
    submission_number = models.BigIntegerField(default=0)
    accepted_number = models.BigIntegerField(default=0)
    # {JudgeStatus.ACCEPTED: 3, JudgeStatus.WRONG_ANSWER: 11}
    statistic_info = models.JSONField(default=dict)
    share_submission = models.BooleanField(default=False)
    # flowchart submissions (graded separately) are accepted for this problem
    allow_flowchart = models.BooleanField(default=False)
    # the reference flowchart, hidden from students while allow_flowchart is on
    mermaid_code = models.TextField(null=True, blank=True)
    flowchart_data = models.JSONField(default=dict)
    flowchart_hint = models.TextField(null=True, blank=True)
    # show the reference flowchart to students
    show_flowchart = models.BooleanField(default=False)

    class Meta:
        db_table = "problem"
        unique_together = (("_id", "contest"),)
        ordering = ("create_time", "id")

    def __str__(self):
        return f"{self._id} {self.title}"
