"""The legacy variant: the plan's starting point, kept runnable for comparison.

``MiddlewareMixin`` account middleware, the async detail views without
``select_related`` (Task 2 "before"), the sync cache API inside async views (Task 4
"before") and the sync originals of the Task 6 endpoint families. Same URLs and
envelopes as the hardened variant.
"""

from .base import *  # noqa: F403
from .base import build_middleware

OJ_VARIANT = "legacy"
ROOT_URLCONF = "oj.urls_legacy"
MIDDLEWARE = build_middleware("oj.account.legacy_middleware")
