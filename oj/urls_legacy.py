"""URLconf of the legacy variant (``oj.settings.legacy``): same URLs, the plan's
starting-point views."""

from oj.routing import build_urlpatterns

urlpatterns = build_urlpatterns("legacy")
