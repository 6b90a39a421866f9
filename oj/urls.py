"""URLconf of the hardened variant; ``oj.routing`` builds both variants."""

from oj.routing import build_urlpatterns

urlpatterns = build_urlpatterns("hardened")
