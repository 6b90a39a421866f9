from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench.project"
    label = "bench"
    default_auto_field = "django.db.models.AutoField"
