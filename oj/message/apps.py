from django.apps import AppConfig


class MessageConfig(AppConfig):
    name = "oj.message"
