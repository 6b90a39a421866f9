from django.apps import AppConfig


class CommentConfig(AppConfig):
    name = "oj.comment"
