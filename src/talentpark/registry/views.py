"""Registry pages that change state: thin — parse, check permission, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from talentpark.accounts.access import get_for
from talentpark.core.context import ActionContext
from talentpark.core.models import Industry
from talentpark.core.pii_access import reveal
from talentpark.core.validation import field_label
from talentpark.registry.models import Enterprise, Talent
from talentpark.registry.services import ENTERPRISE_EDITABLE, update_enterprise

FORM_FIELDS = [f for f in ENTERPRISE_EDITABLE if f != "uscc"] + ["uscc"]


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_for(Enterprise, request.user, "change", pk=pk)
    errors: dict[str, list[str]] = {}
    values = {f: getattr(enterprise, f"{f}_id" if f == "industry" else f) for f in ENTERPRISE_EDITABLE}
    values["contact_phone"] = ""  # never prefill a phone in clear; blank keeps the current one
    if request.method == "POST":
        changes: dict[str, Any] = {
            f: request.POST.get(f, "") for f in ENTERPRISE_EDITABLE if f in request.POST
        }
        changes["is_high_tech"] = "is_high_tech" in request.POST
        if not changes.get("contact_phone"):
            changes.pop("contact_phone", None)
        try:
            update_enterprise(ActionContext.from_request(request, reason="企业信息维护"), enterprise, changes)
        except ValidationError as exc:
            errors = exc.message_dict
            values.update(changes)
        else:
            messages.success(request, gettext("企业信息已保存"))
            return redirect("registry:enterprise_detail", pk=enterprise.pk)
    fields = [
        (name, field_label(Enterprise, name), values.get(name), errors.get(name, [])) for name in FORM_FIELDS
    ]
    return render(
        request,
        "registry/enterprise_edit.html",
        {
            "enterprise": enterprise,
            "fields": fields,
            "errors": errors,
            "scales": Enterprise.Scale.choices,
            "industries": Industry.objects.filter(level=Industry.Level.CLASS).order_by("code"),
        },
        status=400 if errors else 200,
    )


@never_cache
@login_required
@require_POST
def unmask_pii(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one talent's full ID number or phone, for a stated reason; always logged."""
    talent = get_for(Talent.objects.select_related("person"), request.user, "view", pk=pk)
    field = request.POST.get("field", "")
    if field not in ("id_number", "phone"):
        return render(
            request, "core/message.html", {"message": gettext("字段：只能查看身份证号或手机号码")}, status=400
        )
    value = reveal(
        ActionContext.from_request(request),
        talent.person,
        field,
        request.POST.get("reason", ""),
        scope_model=talent,
    )
    request.pii_shown = True  # type: ignore[attr-defined]
    return render(request, "registry/unmasked.html", {"talent": talent, "field": field, "value": value})
