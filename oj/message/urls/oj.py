from oj.routing import Route

from ..views import legacy, oj

routes = [
    Route("message", oj.MessageAPI, legacy=legacy.MessageAPI, name="message_api"),
]
