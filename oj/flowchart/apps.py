from django.apps import AppConfig


class FlowchartConfig(AppConfig):
    name = "oj.flowchart"
