"""Querysets shared by the async views and their sync originals. Building a
queryset runs no query, so these are safe to call on the event loop."""

from django.utils.timezone import now

from oj.utils.constants import ContestStatus

from .models import Contest


def contest_list_queryset(params):
    """Visible contests filtered by ``keyword``, ``rule_type``, ``tag`` and
    ``status``, with ``created_by`` loaded for ContestSerializer."""
    contests = Contest.objects.select_related("created_by").filter(visible=True)
    keyword = params.get("keyword")
    rule_type = params.get("rule_type")
    tag = params.get("tag")
    status = params.get("status")
    if keyword:
        contests = contests.filter(title__icontains=keyword)
    if rule_type:
        contests = contests.filter(rule_type=rule_type)
    if tag:
        contests = contests.filter(tag=tag)
    if status:
        current = now()
        if status == ContestStatus.CONTEST_NOT_START:
            contests = contests.filter(start_time__gt=current)
        elif status == ContestStatus.CONTEST_ENDED:
            contests = contests.filter(end_time__lt=current)
        else:
            contests = contests.filter(start_time__lte=current, end_time__gte=current)
    return contests
