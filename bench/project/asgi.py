"""``uvicorn bench.project.asgi:application`` (BENCH_LEVEL picks the level)."""

from bench.project.boot import asgi_application

application = asgi_application()
