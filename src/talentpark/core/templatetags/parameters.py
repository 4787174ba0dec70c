"""``{% parameter "login.lock_minutes" %}``: a run-time parameter's current value in a template."""

from __future__ import annotations

from typing import Any

from django import template

from talentpark.core import parameters

register = template.Library()


@register.simple_tag
def parameter(key: str) -> Any:
    return parameters.value(key)
