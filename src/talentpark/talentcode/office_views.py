"""The office's 人才码 forms: institutions, windows, services and window accounts, and stopping or
restoring a talent's code. Thin: parse, check the permission and the zone, call ``partners`` or
``services``; a refusal re-shows the form with every bad field named (status 400)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from talentpark.accounts.access import get_for, has_perm, restrict
from talentpark.core.context import ActionContext
from talentpark.talentcode import partners, services
from talentpark.talentcode.models import (
    TIER_CHOICES,
    GreenService,
    Partner,
    PartnerAccount,
    PartnerWindow,
    TalentCode,
)
from talentpark.talentcode.pages import CHANGE


@dataclass(frozen=True)
class Input:
    name: str
    label: str
    kind: str = "text"  # text, select, checkboxes, checkbox, number
    limit: int = 0
    options: tuple[tuple[str, str], ...] = ()
    hint: str = ""


def _zone(request: HttpRequest) -> int:
    if not has_perm(request.user, CHANGE):
        raise PermissionDenied
    zone_id: int | None = getattr(request.user, "zone_id", None)
    if zone_id is None:
        raise PermissionDenied
    return zone_id


def _partner(request: HttpRequest, pk: int) -> Partner:
    _zone(request)
    partner: Partner = get_for(
        restrict(Partner.objects.all(), request.user, "view"), request.user, "view", pk=pk
    )
    return partner


def _windows(partner: Partner) -> tuple[tuple[str, str], ...]:
    return (("", "—"), *((str(w.pk), w.name) for w in partner.windows.all()))


def _form(
    request: HttpRequest,
    *,
    title: str,
    back: tuple[str, str],
    inputs: list[Input],
    initial: dict[str, Any],
    save: Callable[[dict[str, Any]], str],
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET shows ``initial``; POST calls ``save(data)`` (a ValidationError re-shows the form with the
    errors), which returns where to go next."""
    errors: dict[str, list[str]] = {}
    values = initial
    if request.method == "POST":
        data: dict[str, Any] = request.POST.dict()
        data["tiers"] = request.POST.getlist("tiers")
        try:
            return redirect(save(data))
        except ValidationError as exc:
            errors = exc.message_dict
        values = data
    ctx = {
        "title": title,
        "back": back,
        "inputs": inputs,
        "values": values,
        "errors": errors,
        **(extra or {}),
    }
    return render(request, "talentcode/office_form.html", ctx, status=400 if errors else 200)


def _ctx(request: HttpRequest, reason: str) -> ActionContext:
    return ActionContext.from_request(request, reason=reason)


PARTNER_INPUTS = [
    Input("name", "机构名称", limit=80),
    Input("kind", "机构类别", "select", options=tuple(Partner.Kind.choices)),
    Input("address", "地址", limit=120),
    Input("contact", "联系电话", limit=40),
]


@login_required
@require_http_methods(["GET", "POST"])
def partner_new(request: HttpRequest) -> HttpResponse:
    zone_id = _zone(request)

    def save(data: dict[str, Any]) -> str:
        made = partners.save_partner(_ctx(request, "新增合作机构"), zone_id, data)
        messages.success(request, gettext("已新增合作机构“%(n)s”") % {"n": made.name})
        return reverse("talentcode:partner_detail", args=[made.pk])

    return _form(
        request,
        title="新增合作机构",
        back=("合作机构", reverse("talentcode:partner_list")),
        inputs=PARTNER_INPUTS,
        initial={"kind": Partner.Kind.HOSPITAL},
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk)

    def save(data: dict[str, Any]) -> str:
        partners.save_partner(_ctx(request, "修改合作机构"), partner.zone_id, data, partner)
        messages.success(request, gettext("已保存"))
        return reverse("talentcode:partner_detail", args=[partner.pk])

    return _form(
        request,
        title="编辑机构信息",
        back=(partner.name, reverse("talentcode:partner_detail", args=[partner.pk])),
        inputs=[
            *PARTNER_INPUTS,
            Input("is_active", "合作中", "checkbox", hint="取消后该机构的窗口不能再核验人才码"),
        ],
        initial={f: getattr(partner, f) for f in partners.PARTNER_FIELDS},
        save=save,
    )


def _child(request: HttpRequest, model: Any, pk: int) -> Any:
    """A window, service or account of an institution the user may see (404 otherwise)."""
    _zone(request)
    found = model.objects.select_related("partner").filter(
        pk=pk, partner__in=restrict(Partner.objects.all(), request.user, "view")
    )
    obj = found.first()
    if obj is None:
        raise Http404
    return obj


WINDOW_INPUTS = [Input("name", "窗口名称", limit=60), Input("location", "位置", limit=80)]


@login_required
@require_http_methods(["GET", "POST"])
def window_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _window_form(request, _partner(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def window_edit(request: HttpRequest, pk: int) -> HttpResponse:
    window = _child(request, PartnerWindow, pk)
    return _window_form(request, window.partner, window)


def _window_form(request: HttpRequest, partner: Partner, window: PartnerWindow | None) -> HttpResponse:
    def save(data: dict[str, Any]) -> str:
        saved = partners.save_window(_ctx(request, "维护合作窗口"), partner, data, window)
        messages.success(request, gettext("已保存窗口“%(n)s”") % {"n": saved.name})
        return reverse("talentcode:partner_detail", args=[partner.pk])

    return _form(
        request,
        title="编辑窗口" if window else "新增窗口",
        back=(partner.name, reverse("talentcode:partner_detail", args=[partner.pk])),
        inputs=WINDOW_INPUTS + ([Input("is_active", "启用", "checkbox")] if window else []),
        initial={f: getattr(window, f) for f in partners.WINDOW_FIELDS} if window else {},
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _service_form(request, _partner(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = _child(request, GreenService, pk)
    return _service_form(request, service.partner, service)


def _service_form(request: HttpRequest, partner: Partner, service: GreenService | None) -> HttpResponse:
    def save(data: dict[str, Any]) -> str:
        saved = partners.save_service(_ctx(request, "维护绿色通道服务"), partner, data, service)
        messages.success(request, gettext("已保存服务项目“%(n)s”") % {"n": saved.name})
        return reverse("talentcode:partner_detail", args=[partner.pk])

    inputs = [
        Input("name", "服务名称", limit=60),
        Input("description", "服务说明", limit=200),
        Input("window", "办理窗口", "select", options=_windows(partner), hint="不选则本机构各窗口均可办理"),
        Input("tiers", "适用人才层次", "checkboxes", options=tuple(TIER_CHOICES)),
        Input("per_year", "每人每年次数上限", "number", hint="0为不限"),
    ]
    if service:
        inputs.append(Input("is_active", "启用", "checkbox"))
        initial: dict[str, Any] = {
            "name": service.name,
            "description": service.description,
            "window": str(service.window_id or ""),
            "tiers": list(service.tiers),
            "per_year": service.per_year,
            "is_active": service.is_active,
        }
    else:
        initial = {"tiers": ["A", "B", "C"], "per_year": 0}
    return _form(
        request,
        title="编辑服务项目" if service else "新增服务项目",
        back=(partner.name, reverse("talentcode:partner_detail", args=[partner.pk])),
        inputs=inputs,
        initial=initial,
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_new(request: HttpRequest, pk: int) -> HttpResponse:
    """开通 a window account; its initial password is shown on the answer page, once."""
    partner = _partner(request, pk)
    inputs = [
        Input("username", "用户名", limit=30, hint="3至30位字母、数字或 _ . -，用于登录"),
        Input("display_name", "姓名", limit=50),
        Input("window", "默认窗口", "select", options=_windows(partner)),
    ]
    ctx: dict[str, Any] = {
        "title": "新增窗口账号",
        "back": (partner.name, reverse("talentcode:partner_detail", args=[partner.pk])),
        "inputs": inputs,
        "values": {},
        "errors": {},
    }
    if request.method == "POST":
        try:
            account, password = partners.create_account(
                _ctx(request, "开通合作窗口账号"), partner, request.POST.dict()
            )
        except ValidationError as exc:
            ctx.update(values=request.POST.dict(), errors=exc.message_dict)
            return render(request, "talentcode/office_form.html", ctx, status=400)
        response = render(
            request,
            "talentcode/account_created.html",
            {"partner": partner, "account": account, "password": password},
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "talentcode/office_form.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A window account: its default window, and 停用 / 启用."""
    account = _child(request, PartnerAccount, pk)
    partner = account.partner
    if request.method == "POST" and "active" in request.POST:
        active = request.POST["active"] == "1"
        partners.set_account_active(_ctx(request, "停用/启用合作窗口账号"), account, active)
        messages.success(request, gettext("账号已启用") if active else gettext("账号已停用"))
        return redirect("talentcode:account_edit", pk=account.pk)

    def save(data: dict[str, Any]) -> str:
        partners.set_account_window(_ctx(request, "修改合作窗口账号"), account, data)
        messages.success(request, gettext("已保存"))
        return reverse("talentcode:partner_detail", args=[partner.pk])

    return _form(
        request,
        title="窗口账号",
        back=(partner.name, reverse("talentcode:partner_detail", args=[partner.pk])),
        inputs=[Input("window", "默认窗口", "select", options=_windows(partner))],
        initial={"window": str(account.window_id or "")},
        save=save,
        extra={"account": account},
    )


@login_required
@require_POST
def code_status(request: HttpRequest, pk: int) -> HttpResponse:
    """停用 (with a reason) or 恢复 a talent's code."""
    _zone(request)
    code = get_for(restrict(TalentCode.objects.all(), request.user, "view"), request.user, "view", pk=pk)
    ctx = _ctx(request, "人才办停用/恢复人才码")
    try:
        if request.POST.get("action") == "reinstate":
            services.reinstate_code(ctx, code)
            messages.success(request, gettext("人才码已恢复，已换发新的人才码标识"))
        else:
            services.revoke_code(ctx, code, request.POST.get("reason", ""))
            messages.success(request, gettext("人才码已停用，合作窗口在线核验将显示无效"))
    except services.Refused as exc:
        messages.error(request, exc.message)
    return redirect("talentcode:code_detail", pk=code.pk)
