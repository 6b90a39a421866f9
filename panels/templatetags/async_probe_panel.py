"""Template filters for the panel's template."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def dotted(value: Any) -> SafeString:
    """Let a dotted name or a path wrap after its dots and slashes only, so long
    middleware and view names fit the panel without breaking mid-word."""
    # Escaped first, so only the <wbr> tags added here are markup.
    text = str(escape(value))
    return mark_safe(text.replace(".", ".<wbr>").replace("/", "/<wbr>"))
