"""The hardened variant (default): the async hardening plan carried out.

Dual-mode account middleware (Task 7) and the converted views (Tasks 2-6).
"""

from .base import *  # noqa: F403
from .base import build_middleware

OJ_VARIANT = "hardened"
ROOT_URLCONF = "oj.urls"
MIDDLEWARE = build_middleware("oj.account.middleware")
