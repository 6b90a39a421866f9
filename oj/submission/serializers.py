from oj.utils.api import serializers

from .models import Submission


class SubmissionSafeModelSerializer(serializers.ModelSerializer):
    """A submission without the judge's details; reads ``problem``."""

    problem = serializers.SlugRelatedField(read_only=True, slug_field="_id")

    class Meta:
        model = Submission
        exclude = ("info", "contest", "ip")


class SubmissionListSerializer(serializers.ModelSerializer):
    """Reads ``problem``: select it with the submissions."""

    problem = serializers.SlugRelatedField(read_only=True, slug_field="_id")
    problem_title = serializers.CharField(source="problem.title")
    show_link = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        exclude = ("info", "contest", "code", "ip")

    def __init__(self, *args, **kwargs):
        self.user = kwargs.pop("user", None)
        super().__init__(*args, **kwargs)

    def get_show_link(self, obj):
        if self.user is None or not self.user.is_authenticated:
            return False
        return obj.check_user_permission(self.user)
