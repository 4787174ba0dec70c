"""The office manages 人才码's partners: institutions, their windows, the green-channel services
each offers to which tiers, and the window staff's accounts.

Every change is validated whole (each bad field named, in Chinese, nothing half-saved) and audited
in the same transaction. Names are unique per zone (institutions) or per institution (windows,
services), by constraint; a clash is the same clear refusal as the pre-check. A window account is
a user of role ``partner`` in the institution's zone, with a generated initial password shown to
the office once; disabling it ends its sign-ins at once.
"""

from __future__ import annotations

import re
import secrets
import string
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.roles import Role
from talentpark.core.validation import FieldErrors
from talentpark.talentcode.models import TIER_CHOICES, GreenService, Partner, PartnerAccount, PartnerWindow

USERNAME = re.compile(r"[A-Za-z0-9_.-]{3,30}")
TIERS = [code for code, _ in TIER_CHOICES]


def _text(
    errors: FieldErrors, data: dict[str, Any], name: str, label: str, limit: int, required: bool
) -> str:
    value = str(data.get(name) or "").strip()
    if required and not value:
        errors.add(name, label, "不能为空")
    elif len(value) > limit:
        errors.add(name, label, f"不能超过{limit}个字")
    return value


def _flag(data: dict[str, Any], name: str) -> bool:
    value = data.get(name)
    return value in (True, "1", "on", "true", "yes")


def _clash(name: str, label: str) -> ValidationError:
    return ValidationError({name: [f"{label}：已存在同名记录，请换一个名称"]})


def _own_window(
    errors: FieldErrors, partner: Partner, data: dict[str, Any], label: str
) -> PartnerWindow | None:
    """The window ``data["window"]`` names, if it is one of ``partner``'s; none chosen is None."""
    raw = str(data.get("window") or "").strip()
    if not raw:
        return None
    window = partner.windows.filter(pk=int(raw)).first() if raw.isdigit() else None
    if window is None:
        errors.add("window", label, "不属于本机构")
    return window


def _snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def _save(
    ctx: ActionContext, obj: Any, fields: list[str], action: str, before: dict[str, Any] | None, label: str
) -> None:
    """Save and audit in one transaction; a name taken meanwhile (the constraint) is a clear refusal."""
    try:
        with transaction.atomic():
            obj.save()
            audit.record(ctx, action, obj, before=before, after=_snapshot(obj, fields))
    except IntegrityError:
        raise _clash("name", label) from None


PARTNER_FIELDS = ["name", "kind", "address", "contact", "is_active"]


def save_partner(
    ctx: ActionContext, zone_id: int, data: dict[str, Any], partner: Partner | None = None
) -> Partner:
    """Create (``partner`` None) or change an institution of ``zone_id``."""
    errors = FieldErrors()
    name = _text(errors, data, "name", "机构名称", 80, True)
    kind = str(data.get("kind") or "")
    if kind not in Partner.Kind.values:
        errors.add("kind", "机构类别", "请选择")
    address = _text(errors, data, "address", "地址", 120, False)
    contact = _text(errors, data, "contact", "联系电话", 40, False)
    if (
        name
        and Partner.objects.filter(zone_id=zone_id, name=name)
        .exclude(pk=partner.pk if partner else 0)
        .exists()
    ):
        errors.add("name", "机构名称", "本园区已有同名合作机构")
    errors.raise_if_any()
    before = _snapshot(partner, PARTNER_FIELDS) if partner else None
    obj = partner or Partner(zone_id=zone_id)
    obj.name, obj.kind, obj.address, obj.contact = name, kind, address, contact
    obj.is_active = _flag(data, "is_active") if partner else True
    action = "talentcode.partner.change" if partner else "talentcode.partner.create"
    _save(ctx, obj, PARTNER_FIELDS, action, before, "机构名称")
    return obj


WINDOW_FIELDS = ["name", "location", "is_active"]


def save_window(
    ctx: ActionContext, partner: Partner, data: dict[str, Any], window: PartnerWindow | None = None
) -> PartnerWindow:
    errors = FieldErrors()
    name = _text(errors, data, "name", "窗口名称", 60, True)
    location = _text(errors, data, "location", "位置", 80, False)
    same = partner.windows.filter(name=name).exclude(pk=window.pk if window else 0)
    if name and same.exists():
        errors.add("name", "窗口名称", "本机构已有同名窗口")
    errors.raise_if_any()
    before = _snapshot(window, WINDOW_FIELDS) if window else None
    obj = window or PartnerWindow(zone_id=partner.zone_id, partner=partner)
    obj.name, obj.location = name, location
    obj.is_active = _flag(data, "is_active") if window else True
    action = "talentcode.window.change" if window else "talentcode.window.create"
    _save(ctx, obj, WINDOW_FIELDS, action, before, "窗口名称")
    return obj


SERVICE_FIELDS = ["name", "description", "window_id", "tiers", "per_year", "is_active"]


def save_service(
    ctx: ActionContext, partner: Partner, data: dict[str, Any], service: GreenService | None = None
) -> GreenService:
    """A green-channel service: which window handles it (any, when none), for which tiers, and how
    many times a year one talent may use it (0: no cap)."""
    errors = FieldErrors()
    name = _text(errors, data, "name", "服务名称", 60, True)
    description = _text(errors, data, "description", "服务说明", 200, False)
    chosen = _own_window(errors, partner, data, "办理窗口")
    window_id = chosen.pk if chosen else None
    picked = data.get("tiers") or []
    if isinstance(picked, str):
        picked = list(picked)
    tiers = "".join(t for t in TIERS if t in picked)
    if not tiers or any(t not in TIERS for t in picked):
        errors.add("tiers", "适用人才层次", "请至少选择一个层次（A至E类）")
    per_year_raw = str(data.get("per_year") or "0").strip()
    per_year = int(per_year_raw) if per_year_raw.isdigit() else -1
    if not 0 <= per_year <= 365:
        errors.add("per_year", "每人每年次数上限", "应为0至365的整数（0为不限）")
    same = partner.services.filter(name=name).exclude(pk=service.pk if service else 0)
    if name and same.exists():
        errors.add("name", "服务名称", "本机构已有同名服务")
    errors.raise_if_any()
    before = _snapshot(service, SERVICE_FIELDS) if service else None
    obj = service or GreenService(zone_id=partner.zone_id, partner=partner)
    obj.name, obj.description, obj.window_id, obj.tiers, obj.per_year = (
        name,
        description,
        window_id,
        tiers,
        per_year,
    )
    obj.is_active = _flag(data, "is_active") if service else True
    action = "talentcode.service.change" if service else "talentcode.service.create"
    _save(ctx, obj, SERVICE_FIELDS, action, before, "服务名称")
    return obj


def initial_password() -> str:
    """Twelve characters with every class the password policy asks for."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(10))
        text = f"{body[:5]}@{secrets.choice(string.digits)}{body[5:]}"
        if any(c.islower() for c in text) and any(c.isupper() for c in text):
            return text


def create_account(ctx: ActionContext, partner: Partner, data: dict[str, Any]) -> tuple[PartnerAccount, str]:
    """A window staff account: a user of role ``partner`` in the institution's zone. Returns the
    account and its initial password (shown once; the user changes it under 修改密码)."""
    user_model: Any = get_user_model()
    errors = FieldErrors()
    username = str(data.get("username") or "").strip()
    if not USERNAME.fullmatch(username):
        errors.add("username", "用户名", "应为3至30位字母、数字或 _ . -")
    elif user_model.objects.filter(username__iexact=username).exists():
        errors.add("username", "用户名", "已被使用，请换一个")
    display_name = _text(errors, data, "display_name", "姓名", 50, True)
    window = _own_window(errors, partner, data, "默认窗口")
    errors.raise_if_any()
    password = initial_password()
    user = user_model(
        username=username, display_name=display_name, role=Role.PARTNER, zone_id=partner.zone_id
    )
    validate_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            account = PartnerAccount.objects.create(
                zone_id=partner.zone_id, user=user, partner=partner, window=window
            )
            audit.record(
                ctx,
                "talentcode.account.create",
                account,
                after={
                    "username": username,
                    "partner": partner.name,
                    "window": window.name if window else "",
                },
            )
    except IntegrityError:
        raise ValidationError({"username": ["用户名：已被使用，请换一个"]}) from None
    return account, password


def set_account_active(ctx: ActionContext, account: PartnerAccount, active: bool) -> PartnerAccount:
    """停用 / 启用 a window account: a disabled user cannot sign in, and the API token stops at once."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=account.user_id)
        if user.is_active == active:
            return account
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.record(
            ctx,
            "talentcode.account.enable" if active else "talentcode.account.disable",
            account,
            before={"is_active": not active},
            after={"is_active": active},
        )
    account.user = user
    return account


def set_account_window(ctx: ActionContext, account: PartnerAccount, data: dict[str, Any]) -> PartnerAccount:
    """The window an account verifies at unless it picks another on the scan page."""
    errors = FieldErrors()
    window = _own_window(errors, account.partner, data, "默认窗口")
    errors.raise_if_any()
    with transaction.atomic():
        before = {"window": account.window.name if account.window else ""}
        account.window = window
        account.save(update_fields=["window"])
        audit.record(
            ctx,
            "talentcode.account.change",
            account,
            before=before,
            after={"window": window.name if window else ""},
        )
    return account
