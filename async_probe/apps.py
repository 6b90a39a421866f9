from django.apps import AppConfig


class AsyncProbeConfig(AppConfig):
    name = "async_probe"
    verbose_name = "async_probe"
