from oj.utils.api import serializers

from .models import Comment


class CreateCommentSerializer(serializers.Serializer):
    problem_id = serializers.IntegerField()
    description_rating = serializers.IntegerField(min_value=1, max_value=5)
    difficulty_rating = serializers.IntegerField(min_value=1, max_value=5)
    comprehensive_rating = serializers.IntegerField(min_value=1, max_value=5)
    content = serializers.CharField(required=False, allow_blank=True)


class CommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Comment
        fields = [
            "comprehensive_rating",
            "description_rating",
            "difficulty_rating",
            "content",
            "create_time",
        ]
