import random
import string

from django.utils import timezone


def rand_str(length=32, type="lower_hex"):
    """A random string; the primary key of submissions and flowchart submissions."""
    if type == "str":
        alphabet = string.ascii_letters + string.digits
    elif type == "num":
        alphabet = string.digits
    else:
        alphabet = "0123456789abcdef"
    return "".join(random.SystemRandom().choice(alphabet) for _ in range(length))


def check_is_id(value):
    try:
        return int(value) > 0
    except (TypeError, ValueError):
        return False


def datetime2str(value, format="%Y-%m-%d %H:%M:%S %Z"):
    return timezone.localtime(value).strftime(format)


def with_related(queryset, fields):
    """``select_related(*fields)``, or the queryset unchanged when ``fields`` is
    empty (a bare ``select_related()`` would follow every non-null FK)."""
    return queryset.select_related(*fields) if fields else queryset
