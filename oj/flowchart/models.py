from django.conf import settings
from django.db import models

from oj.utils.shortcuts import rand_str


class FlowchartSubmissionStatus:
    PENDING = 0
    PROCESSING = 1
    COMPLETED = 2
    FAILED = 3


class FlowchartSubmission(models.Model):
    """A flowchart (Mermaid) answer to a problem, graded by an AI evaluator that
    runs outside this backend: it takes PENDING rows and fills in the ai_* fields."""

    id = models.TextField(default=rand_str, primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="flowchart_submissions",
    )
    problem = models.ForeignKey(
        "problem.Problem",
        on_delete=models.CASCADE,
        related_name="flowchart_submissions",
    )
    mermaid_code = models.TextField()
    flowchart_data = models.JSONField(default=dict)
    status = models.IntegerField(default=FlowchartSubmissionStatus.PENDING)
    create_time = models.DateTimeField(auto_now_add=True)
    # 0-100
    ai_score = models.FloatField(null=True, blank=True)
    # S / A / B / C
    ai_grade = models.CharField(max_length=10, null=True, blank=True)
    ai_feedback = models.TextField(null=True, blank=True)
    ai_suggestions = models.TextField(null=True, blank=True)
    ai_criteria_details = models.JSONField(default=dict)
    ai_provider = models.CharField(max_length=50, default="deepseek")
    ai_model = models.CharField(max_length=50, default="deepseek-chat")
    # seconds the evaluation took
    processing_time = models.FloatField(null=True, blank=True)
    evaluation_time = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "flowchart_submission"
        ordering = ("-create_time", "id")

    def __str__(self):
        return f"FlowchartSubmission {self.id}"

    def check_user_permission(self, user):
        """The author, admins and the problem's author may see it. Reads
        ``problem``: load it with the submission."""
        return (
            self.user_id == user.id
            or not user.is_regular_user()
            or self.problem.created_by_id == user.id
        )

    def reset_evaluation(self):
        """Back to PENDING with no result, for the evaluator to grade again."""
        self.status = FlowchartSubmissionStatus.PENDING
        self.ai_score = None
        self.ai_grade = None
        self.ai_feedback = None
        self.ai_suggestions = None
        self.ai_criteria_details = {}
        self.processing_time = None
        self.evaluation_time = None
