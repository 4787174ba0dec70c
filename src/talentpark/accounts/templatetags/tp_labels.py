"""Template filters that show labels instead of codes: ``{% load tp_labels %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from talentpark.core import log_labels

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """ "policy.claim.approve" → "政策兑现审核通过"."""
    return log_labels.action_label(str(code or ""))


@register.filter
def person(user: Any, fallback: str = "") -> str:
    """Who acted, by name (display name) rather than username; "系统" for the system."""
    name = log_labels.person_name(user, fallback or "")
    return log_labels.role_label("system") if name in ("system", "") else name


@register.filter
def cycle_label(cycle: str) -> str:
    """A benefit's period: "2026-03" → "2026年3月", "2026" → "2026年度", "once" → "一次性"."""
    text = str(cycle or "")
    if text in ("", "once"):
        return gettext("一次性")
    year, _, month = text.partition("-")
    if year.isdigit() and month.isdigit():
        return gettext("%(y)s年%(m)d月") % {"y": year, "m": int(month)}
    if year.isdigit() and not month:
        return gettext("%(y)s年度") % {"y": year}
    return text
