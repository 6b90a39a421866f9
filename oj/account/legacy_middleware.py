"""The account middleware as the plan found them (Task 7, step 1): ``MiddlewareMixin``.

Under ASGI Django runs each ``process_request`` through its own ``sync_to_async``
hop, on every request, whether or not there is anything to do. Served by the legacy
variant (``oj.settings.legacy``); ``oj.account.middleware`` has the dual-mode ones.
"""

import time

from django.conf import settings
from django.db import transaction
from django.utils.deprecation import MiddlewareMixin

from oj.utils.api import JSONResponse

from .models import User


class APITokenAuthMiddleware(MiddlewareMixin):
    def process_request(self, request):
        appkey = request.META.get("HTTP_APPKEY")
        if appkey:
            try:
                request.user = User.objects.get(
                    open_api_appkey=appkey, open_api=True, is_disabled=False
                )
                request.csrf_processing_done = True
                request.auth_method = "api_key"
            except User.DoesNotExist:
                pass


class SessionRecordMiddleware(MiddlewareMixin):
    def process_request(self, request):
        request.ip = request.META.get(
            settings.IP_HEADER, request.META.get("REMOTE_ADDR")
        )
        if (
            request.user.is_authenticated
            and getattr(request, "auth_method", None) != "api_key"
        ):
            session = request.session
            session["user_agent"] = request.META.get("HTTP_USER_AGENT", "")
            session["ip"] = request.ip
            session["last_activity"] = time.time()
            if session.session_key is None:
                session.save()
            if session.session_key not in request.user.session_keys:
                with transaction.atomic():
                    user = User.objects.select_for_update().get(pk=request.user.pk)
                    if session.session_key not in user.session_keys:
                        user.session_keys.append(session.session_key)
                        user.save(update_fields=["session_keys"])
                    request.user.session_keys = user.session_keys


class AdminRoleRequiredMiddleware(MiddlewareMixin):
    def process_request(self, request):
        path = request.path_info
        if (path.startswith("/admin/") or path.startswith("/api/admin/")) and not (
            request.user.is_authenticated and request.user.is_admin_role()
        ):
            return JSONResponse.response(
                {"error": "login-required", "data": "Please login in first"}
            )
