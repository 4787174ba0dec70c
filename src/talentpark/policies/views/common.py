"""What the policy pages share: reading htmx requests and errors, and the office's policy lookup."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from talentpark.accounts.access import get_for, require_perm
from talentpark.core.validation import parse_date
from talentpark.policies.models import Policy


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def form_errors(exc: ValidationError) -> dict[str, list[str]]:
    """Field → messages; non-field messages under "general" (templates cannot read "__all__")."""
    found = dict(exc.message_dict) if hasattr(exc, "error_dict") else {"general": list(exc.messages)}
    if "__all__" in found:
        found["general"] = found.pop("__all__")
    return found


def date_or_error(value: str, field: str, label: str) -> tuple[Any, dict[str, list[str]]]:
    try:
        return parse_date(value), {}
    except ValidationError as exc:
        return None, {field: [f"{label}：{m}" for m in exc.messages]}


def policy_for_office(request: HttpRequest, pk: int) -> Policy:
    require_perm(request.user, "policies.policy.change")
    return get_for(Policy, request.user, "change", pk=pk)
