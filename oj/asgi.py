"""ASGI entry point: ``uvicorn oj.asgi:application``.

HTTP goes to Django inside ``ProbeASGIWrapper``, which opens the probe's request
scope around everything Django does for the request, including the hops it makes
outside the middleware chain (the ``request_started`` signal, the response close).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oj.settings")

# Set Django up before anything below imports models.
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from async_probe.asgi import ProbeASGIWrapper  # noqa: E402
from oj import otel  # noqa: E402

http_application = ProbeASGIWrapper(django_application)
if otel.enabled():
    # With an OTLP endpoint configured, export traces (e.g. to Jaeger).
    otel.configure()
    http_application = otel.wrap(http_application)

application = ProtocolTypeRouter({"http": http_application})
