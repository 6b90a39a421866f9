from django.conf import settings
from django.db import models


class Languages(models.TextChoices):
    Python = "Python", "Python"
    C = "C", "C"
    Cpp = "C++", "C++"
    Java = "Java", "Java"


class Comment(models.Model):
    """A student's rating of a problem they solved."""

    problem = models.ForeignKey("problem.Problem", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    submission = models.ForeignKey(
        "submission.Submission", null=True, blank=True, on_delete=models.SET_NULL
    )
    # the language the problem was solved in
    language = models.CharField(
        max_length=10, choices=Languages.choices, null=True, blank=True
    )
    description_rating = models.PositiveSmallIntegerField(default=5)
    difficulty_rating = models.PositiveSmallIntegerField(default=5)
    comprehensive_rating = models.PositiveSmallIntegerField(default=5)
    content = models.TextField(null=True, blank=True)
    create_time = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "comment"
        ordering = ("-create_time", "-id")

    def __str__(self):
        return f"comment {self.id} on problem {self.problem_id}"
