import json

from oj.utils.api import serializers

from .models import FlowchartSubmission

MAX_FLOWCHART_DATA = 500 * 1024


class CreateFlowchartSubmissionSerializer(serializers.Serializer):
    problem_id = serializers.IntegerField()
    mermaid_code = serializers.CharField(max_length=50000)
    flowchart_data = serializers.JSONField(required=False, default=dict)

    def validate_flowchart_data(self, value):
        if len(json.dumps(value)) > MAX_FLOWCHART_DATA:
            raise serializers.ValidationError("Flowchart data is too large")
        return value


class FlowchartSubmissionSerializer(serializers.ModelSerializer):
    """Reads ``user``: select it (``problem`` is serialized as its id)."""

    username = serializers.CharField(source="user.username")

    class Meta:
        model = FlowchartSubmission
        fields = [
            "id",
            "user",
            "username",
            "problem",
            "mermaid_code",
            "flowchart_data",
            "status",
            "create_time",
            "ai_score",
            "ai_grade",
            "ai_feedback",
            "ai_suggestions",
            "ai_criteria_details",
            "ai_provider",
            "ai_model",
            "processing_time",
            "evaluation_time",
        ]


class FlowchartSubmissionListSerializer(serializers.ModelSerializer):
    """Reads ``user`` and ``problem``: select them."""

    username = serializers.CharField(source="user.username")
    problem = serializers.CharField(source="problem._id")
    problem_title = serializers.CharField(source="problem.title")

    class Meta:
        model = FlowchartSubmission
        fields = [
            "id",
            "username",
            "problem_title",
            "problem",
            "status",
            "create_time",
            "ai_score",
            "ai_grade",
            "ai_provider",
            "ai_model",
            "processing_time",
            "evaluation_time",
        ]
