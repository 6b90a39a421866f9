from django import forms

from oj.utils.api import UsernameSerializer, serializers

from .models import Problem, ProblemTag
from .utils import parse_problem_template


class TestCaseUploadForm(forms.Form):
    spj = forms.CharField(max_length=12, required=False)
    file = forms.FileField()


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProblemTag
        fields = "__all__"


class BaseProblemSerializer(serializers.ModelSerializer):
    # Needs the problems' tags prefetched and created_by selected.
    tags = serializers.SlugRelatedField(many=True, slug_field="name", read_only=True)
    created_by = UsernameSerializer()

    def get_public_template(self, obj):
        return {
            lang: parse_problem_template(code)["template"]
            for lang, code in obj.template.items()
        }


class ProblemSerializer(BaseProblemSerializer):
    template = serializers.SerializerMethodField("get_public_template")
    mermaid_code = serializers.SerializerMethodField()
    flowchart_data = serializers.SerializerMethodField()

    class Meta:
        model = Problem
        exclude = ("test_case_score", "test_case_id", "visible", "is_public")

    # The reference flowchart is the answer while students may still submit one.
    def get_mermaid_code(self, obj):
        return None if obj.allow_flowchart else obj.mermaid_code

    def get_flowchart_data(self, obj):
        return None if obj.allow_flowchart else obj.flowchart_data


class ProblemSafeSerializer(ProblemSerializer):
    """A contest problem for users who may not see its statistics yet."""

    class Meta:
        model = Problem
        exclude = (
            "test_case_score",
            "test_case_id",
            "visible",
            "is_public",
            "difficulty",
            "submission_number",
            "accepted_number",
            "statistic_info",
        )


class ProblemListSerializer(BaseProblemSerializer):
    class Meta:
        model = Problem
        fields = [
            "id",
            "_id",
            "title",
            "submission_number",
            "accepted_number",
            "difficulty",
            "created_by",
            "tags",
            "contest",
            "allow_flowchart",
            "show_flowchart",
        ]
