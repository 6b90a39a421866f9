"""The custom API view stack of the original OnlineJudge, plus its async twin.

Every response is ``{"error": null | "<code>", "data": ...}`` with status 200: the
frontend reads the envelope, not the status code. An unexpected exception inside a
handler is logged and becomes ``{"error": "server-error", ...}``; that is how an
async view that lazily loads a relation on the event loop (``SynchronousOnlyOperation``)
shows up to clients.
"""

import functools
import inspect
import json
import logging

from asgiref.sync import sync_to_async
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, QueryDict
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View

logger = logging.getLogger(__name__)


class APIError(Exception):
    def __init__(self, msg, err=None):
        self.err = err
        self.msg = msg
        super().__init__(err, msg)


class ContentType:
    json_request = "application/json"
    json_response = "application/json;charset=UTF-8"
    url_encoded_request = "application/x-www-form-urlencoded"
    binary_response = "application/octet-stream"


class JSONParser:
    content_type = ContentType.json_request

    @staticmethod
    def parse(body):
        return json.loads(body.decode("utf-8"))


class URLEncodedParser:
    content_type = ContentType.url_encoded_request

    @staticmethod
    def parse(body):
        return QueryDict(body)


class JSONResponse:
    content_type = ContentType.json_response

    @classmethod
    def response(cls, data):
        resp = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder), content_type=cls.content_type
        )
        # Tests read the envelope from here without decoding the body.
        resp.data = data
        return resp


def page_bounds(request, default_limit=10, max_limit=250):
    """``(offset, limit)`` from the query string, clamped like the original OJ."""
    try:
        limit = int(request.GET.get("limit", default_limit))
    except ValueError:
        limit = default_limit
    if limit < 0 or limit > max_limit:
        limit = default_limit
    try:
        offset = int(request.GET.get("offset", "0"))
    except ValueError:
        offset = 0
    return max(offset, 0), limit


class APIView(View):
    """Base view: ``request.data`` holds the parsed JSON or urlencoded body (the
    query string for GET), and ``success`` / ``error`` build the envelope."""

    request_parsers = (JSONParser, URLEncodedParser)
    response_class = JSONResponse

    def _get_request_data(self, request):
        if request.method not in ("GET", "DELETE"):
            body = request.body
            content_type = request.META.get("CONTENT_TYPE")
            if not content_type:
                raise ValueError("content_type is required")
            for parser in self.request_parsers:
                if content_type.startswith(parser.content_type):
                    break
            else:
                raise ValueError(f"unknown content_type '{content_type}'")
            if body:
                return parser.parse(body)
            return {}
        return request.GET

    def response(self, data):
        return self.response_class.response(data)

    def success(self, data=None):
        return self.response({"error": None, "data": data})

    def error(self, msg="error", err="error"):
        return self.response({"error": err, "data": msg})

    def extract_errors(self, errors, key="field"):
        if isinstance(errors, dict):
            if not errors:
                return key, "Invalid field"
            key = next(iter(errors))
            return self.extract_errors(errors[key], key)
        if isinstance(errors, list):
            return self.extract_errors(errors[0], key)
        return key, errors

    def invalid_serializer(self, serializer):
        key, error = self.extract_errors(serializer.errors)
        msg = error if key == "non_field_errors" else f"{key}: {error}"
        return self.error(err=f"invalid-{key}", msg=msg)

    def server_error(self):
        return self.error(err="server-error", msg="server error")

    def paginate_data(self, request, query_set, object_serializer=None):
        offset, limit = page_bounds(request)
        results = query_set[offset : offset + limit]
        count = query_set.count()
        if object_serializer:
            results = object_serializer(
                results, many=True, context={"request": request}
            ).data
        return {"results": results, "total": count}

    def _parse_request(self, request):
        if self.request_parsers:
            try:
                request.data = self._get_request_data(request)
            except ValueError as e:
                return self.error(err="invalid-request", msg=str(e))
        return None

    def _handle_exception(self, exc):
        if isinstance(exc, APIError):
            return self.error(msg=exc.msg, err=exc.err or "error")
        logger.exception(exc)
        return self.server_error()

    def dispatch(self, request, *args, **kwargs):
        invalid = self._parse_request(request)
        if invalid is not None:
            return invalid
        try:
            return super().dispatch(request, *args, **kwargs)
        except Exception as e:
            return self._handle_exception(e)


class CSRFExemptAPIView(APIView):
    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


class AsyncAPIView(APIView):
    """``APIView`` whose handlers are coroutines (Django then runs it as an async
    view). Same parsing, envelope and error handling.

    The ORM calls in handlers must be the async ones, and model instances must be
    serialized through ``async_serialize_data`` (the plan's rule 2): DRF serializers
    are sync code that may touch relations.
    """

    def serialize_data(self, object_serializer, data, **kwargs):
        return object_serializer(data, **kwargs).data

    async def async_serialize_data(self, object_serializer, data, **kwargs):
        # One hop for the whole serialization, on the request's thread-sensitive
        # executor (where the async ORM runs too), instead of a query per relation
        # on the loop.
        return await sync_to_async(self.serialize_data, thread_sensitive=True)(
            object_serializer, data, **kwargs
        )

    async def async_paginate_data(self, request, query_set, object_serializer=None):
        offset, limit = page_bounds(request)
        count = await query_set.acount()
        results = [item async for item in query_set[offset : offset + limit]]
        if object_serializer:
            results = await self.async_serialize_data(
                object_serializer, results, many=True, context={"request": request}
            )
        return {"results": results, "total": count}

    async def dispatch(self, request, *args, **kwargs):
        invalid = self._parse_request(request)
        if invalid is not None:
            return invalid
        try:
            response = super(APIView, self).dispatch(request, *args, **kwargs)
            if inspect.isawaitable(response):
                response = await response
            return response
        except Exception as e:
            return self._handle_exception(e)


def _is_async(view_method):
    """True for coroutine functions and for permission decorators wrapping one."""
    return inspect.iscoroutinefunction(view_method) or inspect.iscoroutinefunction(
        getattr(view_method, "func", None)
    )


def validate_serializer(serializer):
    """
    @validate_serializer(TestSerializer)
    def post(self, request):
        return self.success(request.data)

    Works on ``async def`` handlers too (Task 3). Validation runs where the handler
    runs: the input serializers in this project have plain fields only, so
    ``is_valid()`` never queries.
    """

    def validate(view_method):
        def check(self, request):
            s = serializer(data=request.data)
            if s.is_valid():
                request.data = s.data
                request.serializer = s
                return None
            return self.invalid_serializer(s)

        if _is_async(view_method):

            @functools.wraps(view_method)
            async def ahandle(*args, **kwargs):
                invalid = check(args[0], args[1])
                if invalid is not None:
                    return invalid
                return await view_method(*args, **kwargs)

            return ahandle

        @functools.wraps(view_method)
        def handle(*args, **kwargs):
            invalid = check(args[0], args[1])
            if invalid is not None:
                return invalid
            return view_method(*args, **kwargs)

        return handle

    return validate
