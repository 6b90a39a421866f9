from django.apps import AppConfig


class ConfConfig(AppConfig):
    name = "oj.conf"
