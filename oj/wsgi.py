"""WSGI entry point, for ``manage.py runserver`` and sync deployments."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oj.settings")

application = get_wsgi_application()
