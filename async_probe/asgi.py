"""Placeholder: the ASGI request scope lands with the core engine."""


class ProbeASGIWrapper:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)
