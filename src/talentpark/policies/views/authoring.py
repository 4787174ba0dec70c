"""Authoring a policy's own record: the 新建政策 / 编辑政策信息 form with its approval routing,
and its attachments (upload, remove, download)."""

from __future__ import annotations

import os
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentpark.accounts.access import require_perm, restrict
from talentpark.core.context import ActionContext
from talentpark.policies import authoring, forms
from talentpark.policies.models import Policy, PolicyAttachment
from talentpark.policies.models.policy import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES
from talentpark.policies.views.common import form_errors, policy_for_office


def _policy_form(
    request: HttpRequest,
    policy: Policy | None,
    values: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    attachment_errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    zone_id = policy.zone_id if policy is not None else request.user.zone_id  # type: ignore[union-attr]
    errors = errors or {}
    known = {*forms.POLICY_FIELDS, *(f"approver_{n}" for n in range(1, forms.MAX_LEVELS + 1))}
    return render(
        request,
        "policies/policy_form.html",
        {
            "policy": policy,
            "values": values,
            "errors": errors,
            "other_errors": [m for k, ms in errors.items() if k not in known for m in ms],
            "levels": [
                (n, f"approver_{n}", values.get(f"approver_{n}", ""), errors.get(f"approver_{n}", []))
                for n in range(1, forms.MAX_LEVELS + 1)
            ],
            "departments": authoring.approver_choices(zone_id) if zone_id else [],
            "categories": Policy.Category.choices,
            "targets": Policy.Target.choices,
            "modes": Policy.Mode.choices,
            "recurrences": Policy.Recurrence.choices,
            "attachments": policy.attachments.order_by("id") if policy is not None else [],
            "attachment_errors": attachment_errors or {},
            "max_mb": ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "accept": ",".join(ATTACHMENT_TYPES),
        },
        status=400 if (errors or attachment_errors) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_new(request: HttpRequest) -> HttpResponseBase:
    """新建政策: the office writes a policy's metadata and routing; rules come next."""
    require_perm(request.user, "policies.policy.change")
    user: Any = request.user
    if not user.zone_id:
        raise PermissionDenied
    if request.method == "GET":
        return _policy_form(request, None, forms.policy_values(None, user.zone_id))
    values = forms.policy_values_from_post(request.POST)
    try:
        policy = authoring.create_policy(
            ActionContext.from_request(request, reason="新建政策"), user.zone_id, forms.policy_input(values)
        )
    except ValidationError as exc:
        return _policy_form(request, None, values, form_errors(exc))
    messages.success(request, gettext("政策已创建，请上传附件并编写兑现规则"))
    return redirect("policies:policy_edit", pk=policy.pk)


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    """编辑政策信息: metadata, routing and attachments."""
    policy = policy_for_office(request, pk)
    if request.method == "GET":
        return _policy_form(request, policy, forms.policy_values(policy, policy.zone_id))
    values = forms.policy_values_from_post(request.POST)
    try:
        authoring.update_policy(
            ActionContext.from_request(request, reason="编辑政策信息"), policy, forms.policy_input(values)
        )
    except ValidationError as exc:
        return _policy_form(request, policy, values, form_errors(exc))
    messages.success(request, gettext("政策信息已保存"))
    return redirect("policies:policy_edit", pk=policy.pk)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    policy = policy_for_office(request, pk)
    try:
        authoring.add_attachment(
            ActionContext.from_request(request, reason="上传政策附件"),
            policy,
            request.FILES.get("file"),
            request.POST.get("name", ""),
        )
    except ValidationError as exc:
        return _policy_form(
            request, policy, forms.policy_values(policy, policy.zone_id), attachment_errors=form_errors(exc)
        )
    messages.success(request, gettext("附件已上传"))
    return redirect("policies:policy_edit", pk=policy.pk)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "policies.policy.change")
    policies = restrict(Policy.objects.all(), request.user, "change")
    try:
        attachment = PolicyAttachment.objects.get(pk=pk, policy__in=policies)
    except PolicyAttachment.DoesNotExist:
        raise Http404 from None
    authoring.remove_attachment(ActionContext.from_request(request, reason="删除政策附件"), attachment)
    messages.success(request, gettext("附件已删除"))
    return redirect("policies:policy_edit", pk=attachment.policy_id)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A policy's attachment, to whoever may see the policy."""
    require_perm(request.user, "policies.policy.view")
    policies = restrict(Policy.objects.all(), request.user, "view")
    try:
        attachment = PolicyAttachment.objects.get(pk=pk, policy__in=policies)
        handle = attachment.file.open("rb")
    except (PolicyAttachment.DoesNotExist, FileNotFoundError):
        raise Http404 from None
    ext = os.path.splitext(attachment.file.name or "")[1].lower()
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{attachment.name}{ext}",
        content_type=ATTACHMENT_TYPES.get(ext, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
