"""The account middleware in dual-mode form (Task 7).

Each class is ``sync_capable`` and ``async_capable``: under WSGI it runs its sync
path, under ASGI its async one, and Django needs no adapter around it. The async
paths cross to a thread only when there is work that needs one: no ``appkey`` header,
no hop; a path outside /admin/, no hop; an anonymous request without a session
cookie, no hop. The user is loaded once, with ``await request.auser()``, and stored
in ``request.user`` so that views and decorators read it without a query.
"""

import time

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.db import transaction

from oj.utils.api import JSONResponse

from .models import User

ADMIN_PATH_PREFIXES = ("/admin/", "/api/admin/")


class DualModeMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self.__acall__(request)
        response = self.process_request(request)
        if response is not None:
            return response
        return self.get_response(request)

    async def __acall__(self, request):
        response = await self.aprocess_request(request)
        if response is not None:
            return response
        return await self.get_response(request)

    def process_request(self, request):
        return None

    async def aprocess_request(self, request):
        return None


def _set_user(request, user):
    """Authenticate the request as ``user`` for sync and async readers alike."""

    async def auser():
        return user

    request.user = user
    request.auser = auser


def _appkey_user_queryset(appkey):
    return User.objects.filter(open_api_appkey=appkey, open_api=True, is_disabled=False)


class APITokenAuthMiddleware(DualModeMiddleware):
    def _authenticate(self, request, user):
        if user is not None:
            _set_user(request, user)
            request.csrf_processing_done = True
            request.auth_method = "api_key"

    def process_request(self, request):
        appkey = request.META.get("HTTP_APPKEY")
        if appkey:
            self._authenticate(request, _appkey_user_queryset(appkey).first())

    async def aprocess_request(self, request):
        appkey = request.META.get("HTTP_APPKEY")
        if appkey:
            self._authenticate(request, await _appkey_user_queryset(appkey).afirst())


def _admin_required_response(request):
    user = request.user
    if not (user.is_authenticated and user.is_admin_role()):
        return JSONResponse.response(
            {"error": "login-required", "data": "Please login in first"}
        )
    return None


class AdminRoleRequiredMiddleware(DualModeMiddleware):
    def process_request(self, request):
        if request.path_info.startswith(ADMIN_PATH_PREFIXES):
            return _admin_required_response(request)
        return None

    async def aprocess_request(self, request):
        if request.path_info.startswith(ADMIN_PATH_PREFIXES):
            _set_user(request, await request.auser())
            return _admin_required_response(request)
        return None


def _record_session_key(user, session_key):
    """Add ``session_key`` to the user's list, under a row lock: the user was
    loaded before any concurrent change, so only the key list is written."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if session_key not in locked.session_keys:
            locked.session_keys.append(session_key)
            locked.save(update_fields=["session_keys"])
        user.session_keys = locked.session_keys


def _client_ip(request):
    return request.META.get(settings.IP_HEADER, request.META.get("REMOTE_ADDR"))


def _session_record(request):
    return {
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
        "ip": request.ip,
        "last_activity": time.time(),
    }


class SessionRecordMiddleware(DualModeMiddleware):
    def process_request(self, request):
        request.ip = _client_ip(request)
        if getattr(request, "auth_method", None) == "api_key":
            return
        if not request.user.is_authenticated:
            return
        session = request.session
        session.update(_session_record(request))
        if session.session_key is None:
            session.save()
        if session.session_key not in request.user.session_keys:
            _record_session_key(request.user, session.session_key)

    async def aprocess_request(self, request):
        request.ip = _client_ip(request)
        if getattr(request, "auth_method", None) == "api_key":
            return
        # Loads the session and the user on the first call (two hops for a
        # logged-in user, none without a session cookie); cached for the request.
        user = await request.auser()
        _set_user(request, user)
        if not user.is_authenticated:
            return
        session = request.session
        # The session is loaded by now, so aupdate() only marks it modified.
        await session.aupdate(_session_record(request))
        if session.session_key is None:
            await session.asave()
        if session.session_key not in user.session_keys:
            await sync_to_async(_record_session_key, thread_sensitive=True)(
                user, session.session_key
            )
