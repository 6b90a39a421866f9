from rest_framework import serializers

from ._serializers import UsernameSerializer
from .api import (
    APIError,
    APIView,
    AsyncAPIView,
    ContentType,
    CSRFExemptAPIView,
    JSONResponse,
    validate_serializer,
)

__all__ = [
    "APIError",
    "APIView",
    "AsyncAPIView",
    "CSRFExemptAPIView",
    "ContentType",
    "JSONResponse",
    "UsernameSerializer",
    "serializers",
    "validate_serializer",
]
