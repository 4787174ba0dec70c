"""Self-registration: a talent from her phone, an enterprise for the office to verify; the privacy notice.

Each operation validates everything first (every wrong field with its Chinese reason), then checks
the SMS code (a wrong one stays counted, see ``core.smscodes``), then writes everything in one
transaction — the user, the registry records, the consent, the audit rows — or nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from talentpark.accounts.models import User
from talentpark.accounts.roles import Role
from talentpark.core import audit, notify, smscodes
from talentpark.core.context import ActionContext
from talentpark.core.crypto import blind_index
from talentpark.core.masking import mask_phone
from talentpark.core.models import Industry, Zone
from talentpark.core.normalize import clean_text
from talentpark.core.validation import FieldErrors, parse_date
from talentpark.core.validators import parse_resident_id, validate_mobile, validate_uscc
from talentpark.registry import services as registry
from talentpark.registry.models import Enterprise, Person, Talent
from talentpark.signup.models import EnterpriseRegistration, PrivacyConsent, PrivacyNotice

notify.register_kind("signup.enterprise", "企业注册审核结果", channels=(notify.SMS,))

GENERIC_OFFICE_LINE = "请携带有效证件到园区人才服务窗口办理，或在工作日9:00—17:00致电园区人才办"


def office_contact(zone: Zone | None = None) -> str:
    """How to reach the zone's talent office (``TALENTPARK_OFFICE_CONTACT``, else a generic line)."""
    configured = getattr(settings, "TALENTPARK_OFFICE_CONTACT", "")
    return f"请联系园区人才办：{configured}" if configured else GENERIC_OFFICE_LINE


def current_notice(now: dt.datetime | None = None) -> PrivacyNotice | None:
    """The privacy notice in force: the newest whose effective time has come."""
    return (
        PrivacyNotice.objects.filter(effective_at__lte=now or timezone.now())
        .order_by("-effective_at", "-id")
        .first()
    )


def needs_consent(user: Any) -> PrivacyNotice | None:
    """The notice a user must accept before going on: the one in force, if she accepted an older
    version and not this one. Accounts the office created (no acceptance of their own) are held
    on the office's legal basis and are not asked."""
    if user.role not in (Role.TALENT, Role.HR):
        return None
    accepted = set(PrivacyConsent.objects.filter(user=user).values_list("notice_id", flat=True))
    if not accepted:
        return None
    notice = current_notice()
    return notice if notice is not None and notice.pk not in accepted else None


def _consent_fields(ctx: ActionContext) -> dict[str, Any]:
    return {"ip": ctx.ip[:45], "user_agent": str(ctx.extra.get("user_agent", ""))[:300]}


def accept_notice(ctx: ActionContext, user: Any, notice: PrivacyNotice) -> PrivacyConsent:
    """Record that ``user`` accepted ``notice`` (version, time, IP, browser); audited."""
    with transaction.atomic():
        consent, created = PrivacyConsent.objects.get_or_create(
            user=user, notice=notice, defaults={"accepted_at": timezone.now(), **_consent_fields(ctx)}
        )
        if created:
            audit.record(
                ctx, "privacy.accept", consent, zone_id=user.zone_id, after={"version": notice.version}
            )
    return consent


def _effective_at(errors: FieldErrors, value: Any) -> dt.datetime | None:
    """A datetime as given, or a date (``YYYY-MM-DD``): from its midnight, or from now if today."""
    if isinstance(value, dt.datetime):
        return value
    day = errors.check("effective_at", "生效日期", parse_date, value)
    if day is None:
        return None
    today = timezone.localdate()
    if day < today:
        errors.add("effective_at", "生效日期", "不能早于今天")
        return None
    if day == today:
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def publish_notice(
    ctx: ActionContext, version: str, title: str, body: str, effective_at: Any
) -> PrivacyNotice:
    """Publish a new version of the privacy notice; those who accepted an older one are asked again
    at their next login once it is in force. ``effective_at``: a datetime, or a date from the form."""
    errors = FieldErrors()
    version, title, body = clean_text(version), clean_text(title), (body or "").strip()
    if not version:
        errors.add("version", "版本号", "不能为空")
    elif len(version) > 20:
        errors.add("version", "版本号", "不能超过20个字符")
    elif PrivacyNotice.objects.filter(version=version).exists():
        errors.add("version", "版本号", f"“{version}”已存在")
    if not title:
        errors.add("title", "标题", "不能为空")
    elif len(title) > 80:
        errors.add("title", "标题", "不能超过80个字")
    if len(body) < 20:
        errors.add("body", "正文", "不能少于20个字")
    elif len(body) > 50000:
        errors.add("body", "正文", "不能超过50000个字")
    effective_at = _effective_at(errors, effective_at)
    errors.raise_if_any()
    assert effective_at is not None
    with transaction.atomic():
        try:
            with transaction.atomic():
                notice = PrivacyNotice.objects.create(
                    version=version, title=title, body=body, effective_at=effective_at
                )
        except IntegrityError:  # published meanwhile under the same version
            raise ValidationError({"version": [f"版本号：“{version}”已存在"]}) from None
        audit.record(
            ctx,
            "privacy.publish",
            notice,
            after={"version": version, "effective_at": effective_at.isoformat()},
        )
    return notice


# ---- shared checks ----------------------------------------------------------------------------


def _check_account(errors: FieldErrors, data: Any, display_name: str) -> None:
    username = clean_text(data.username)
    if not username:
        errors.add("username", "用户名", "不能为空")
    elif len(username) < 4 or len(username) > 30:
        errors.add("username", "用户名", "应为4至30个字符")
    else:
        try:
            User.username_validator(username)
        except ValidationError:
            errors.add("username", "用户名", "只能包含字母、数字和 @ . + - _")
        else:
            taken = User.objects.filter(username__iexact=username).exists() or (
                EnterpriseRegistration.objects.filter(
                    username__iexact=username, status=EnterpriseRegistration.Status.PENDING
                ).exists()
            )
            if taken:
                errors.add("username", "用户名", "已被使用，请换一个")
    if not data.password:
        errors.add("password", "密码", "不能为空")
    elif data.password != data.password2:
        errors.add("password2", "再次输入密码", "两次输入的密码不一致")
    else:
        try:
            validate_password(data.password, User(username=username, display_name=display_name))
        except ValidationError as exc:
            for message in exc.messages:
                errors.add("password", "密码", message)


def _check_consent(errors: FieldErrors, data: Any) -> PrivacyNotice | None:
    notice = current_notice()
    if notice is None:
        errors.add("consent", "隐私政策", "尚未发布，暂不能注册，" + office_contact())
        return None
    if not data.consent:
        errors.add("consent", "隐私政策", "请阅读并同意《隐私政策》后再注册")
    elif str(data.notice_version) != notice.version:
        errors.add("consent", "隐私政策", "已更新为新版本，请重新阅读并同意")
    return notice


# ---- a talent registers herself ---------------------------------------------------------------


@dataclass
class TalentSignup:
    zone_id: Any
    phone: str
    code: str
    name: str
    id_number: str
    username: str
    password: str
    password2: str
    consent: bool
    notice_version: str
    zone_entry_date: Any = None


def register_talent(ctx: ActionContext, data: TalentSignup) -> User:
    """A talent registers herself: her login (role talent) and her records in the zone's 人才库,
    created exactly as the registry creates them (``registry.services.register_talent``)."""
    errors = FieldErrors()
    zone = Zone.objects.filter(pk=data.zone_id).first() if str(data.zone_id or "").isdigit() else None
    if zone is None:
        errors.add("zone_id", "所在园区", "请选择园区")
    phone = errors.check("phone", "手机号码", validate_mobile, data.phone)
    name = clean_text(data.name)
    if not name:
        errors.add("name", "姓名", "不能为空")
    elif len(name) > 50:
        errors.add("name", "姓名", "不能超过50个字")
    rid = errors.check("id_number", "身份证号", parse_resident_id, data.id_number)
    entry = timezone.localdate()
    if data.zone_entry_date:
        entry = errors.check("zone_entry_date", "入区时间", parse_date, data.zone_entry_date) or entry
        if entry > timezone.localdate():
            errors.add("zone_entry_date", "入区时间", "不能晚于今天")
    _check_account(errors, data, name)
    notice = _check_consent(errors, data)
    if not data.code:
        errors.add("code", smscodes.CODE_LABEL, "不能为空")
    errors.raise_if_any()
    assert zone is not None and phone is not None and rid is not None and notice is not None
    sms = smscodes.check(phone, smscodes.Purpose.SIGNUP_TALENT, data.code)  # a wrong code stays counted
    person = Person.objects.filter(zone=zone, id_number_hash=blind_index(rid.number, "id_number")).first()
    if person is not None and (person.user_id or Talent.objects.filter(zone=zone, person=person).exists()):
        raise ValidationError(
            {"id_number": [f"身份证号：该身份证号已在{zone.name}登记，不能重复注册。{office_contact(zone)}"]}
        )

    with transaction.atomic():
        smscodes.consume(sms)
        user = User(username=clean_text(data.username), role=Role.TALENT, zone=zone, display_name=name)
        user.set_password(data.password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise ValidationError({"username": ["用户名：已被使用，请换一个"]}) from None
        own = ActionContext(
            user=user,
            role=Role.TALENT,
            zone_id=zone.pk,
            ip=ctx.ip,
            request_id=ctx.request_id,
            reason="本人注册",
        )
        try:
            talent = registry.register_talent(
                own,
                zone,
                registry.TalentInput(name=name, id_number=rid.number, phone=phone, zone_entry_date=entry),
            )
        except ValidationError as exc:
            if "id_number" in exc.message_dict:  # registered meanwhile: the same refusal
                raise ValidationError(
                    {
                        "id_number": [
                            f"身份证号：该身份证号已在{zone.name}登记，不能重复注册。{office_contact(zone)}"
                        ]
                    }
                ) from None
            raise
        registry.link_person_login(own, talent, user)
        PrivacyConsent.objects.create(
            user=user, notice=notice, accepted_at=timezone.now(), **_consent_fields(ctx)
        )
        audit.record(
            own,
            "signup.talent",
            user,
            zone_id=zone.pk,
            after={"talent": talent.pk, "phone": mask_phone(phone), "privacy": notice.version},
        )
    return user


# ---- an enterprise registers, the office verifies ---------------------------------------------


@dataclass
class EnterpriseSignup:
    zone_id: Any
    uscc: str
    name: str
    industry: str
    contact_name: str
    phone: str
    code: str
    username: str
    password: str
    password2: str
    consent: bool
    notice_version: str


def _registered(zone: Zone, code: str) -> bool:
    """Does an enterprise of ``zone`` with this credit code already have its account?"""
    return Enterprise.objects.filter(zone=zone, uscc=code, accounts__isnull=False).exists()


def register_enterprise(ctx: ActionContext, data: EnterpriseSignup) -> EnterpriseRegistration:
    """An enterprise asks to register: a pending registration for the office to verify."""
    errors = FieldErrors()
    zone = Zone.objects.filter(pk=data.zone_id).first() if str(data.zone_id or "").isdigit() else None
    if zone is None:
        errors.add("zone_id", "所在园区", "请选择园区")
    code = errors.check("uscc", "统一社会信用代码", validate_uscc, data.uscc)
    name = clean_text(data.name)
    if not name:
        errors.add("name", "企业名称", "不能为空")
    elif len(name) > 100:
        errors.add("name", "企业名称", "不能超过100个字")
    industry = Industry.objects.filter(pk=str(data.industry or "")).first()
    if industry is None:
        errors.add("industry", "所属行业", "请选择国民经济行业分类")
    contact = clean_text(data.contact_name)
    if not contact:
        errors.add("contact_name", "联系人", "不能为空")
    elif len(contact) > 50:
        errors.add("contact_name", "联系人", "不能超过50个字")
    phone = errors.check("phone", "手机号码", validate_mobile, data.phone)
    _check_account(errors, data, contact)
    notice = _check_consent(errors, data)
    if not data.code:
        errors.add("code", smscodes.CODE_LABEL, "不能为空")
    errors.raise_if_any()
    assert zone is not None and code is not None and phone is not None and notice and industry
    sms = smscodes.check(phone, smscodes.Purpose.SIGNUP_ENTERPRISE, data.code)
    duplicate = f"统一社会信用代码：该企业已在{zone.name}注册，不能重复注册。{office_contact(zone)}"
    if _registered(zone, code):
        raise ValidationError({"uscc": [duplicate]})

    with transaction.atomic():
        smscodes.consume(sms)
        registration = EnterpriseRegistration(
            zone=zone,
            uscc=code,
            name=name,
            industry=industry,
            contact_name=contact,
            contact_phone=phone,
            username=clean_text(data.username),
            password_hash=make_password(data.password),
            notice=notice,
            consent_at=timezone.now(),
            **_consent_fields(ctx),
        )
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:  # the partial unique index: one pending registration per code
            raise ValidationError(
                {
                    "uscc": [
                        f"统一社会信用代码：该企业已有一份注册申请正在审核，请耐心等待。{office_contact(zone)}"
                    ]
                }
            ) from None
        audit.record(
            ctx,
            "signup.enterprise.submit",
            registration,
            after={"uscc": code, "name": name, "contact": contact, "phone": mask_phone(phone)},
        )
    return registration


def _contact_phone(registration: EnterpriseRegistration) -> str:
    phone: Any = registration.contact_phone
    return str(phone.plaintext_for_processing())


def review_enterprise(
    ctx: ActionContext, registration: EnterpriseRegistration, approve: bool, note: str = ""
) -> EnterpriseRegistration:
    """The office approves (enterprise record + active HR account) or rejects (with a reason) a
    registration; the contact is told by SMS (and, once she has an account, in her inbox)."""
    registry.own_zone_only(ctx, registration.zone_id)
    note = clean_text(note)[:300]
    if not approve and not note:
        raise ValidationError({"review_note": ["退回原因：退回时必填，将以短信告知联系人"]})
    with transaction.atomic():
        reg = (
            EnterpriseRegistration.objects.select_for_update()
            .select_related("zone", "industry")
            .get(pk=registration.pk)
        )
        if reg.status != EnterpriseRegistration.Status.PENDING:
            raise ValidationError({"status": [f"状态：该申请已{reg.get_status_display()}，不能再次审核"]})
        phone = _contact_phone(reg)
        if approve:
            if _registered(reg.zone, reg.uscc):
                raise ValidationError(
                    {"uscc": ["统一社会信用代码：该企业已有企业账号，请退回本申请并告知联系人"]}
                )
            if User.objects.filter(username__iexact=reg.username).exists():
                raise ValidationError({"username": ["登录用户名：已被其他账号使用，请退回并请企业重新注册"]})
            enterprise = Enterprise.objects.filter(zone=reg.zone, uscc=reg.uscc).first()
            if enterprise is None:
                enterprise = registry.create_enterprise(
                    ctx,
                    reg.zone,
                    name=reg.name,
                    uscc=reg.uscc,
                    industry=reg.industry,
                    contact_name=reg.contact_name,
                    contact_phone=phone,
                )
            user = User(
                username=reg.username,
                role=Role.HR,
                zone=reg.zone,
                display_name=reg.contact_name,
                password=reg.password_hash,
                is_active=True,
            )
            user.save()
            registry.link_enterprise_account(ctx, enterprise, user)
            PrivacyConsent.objects.create(
                user=user, notice=reg.notice, accepted_at=reg.consent_at, ip=reg.ip, user_agent=reg.user_agent
            )
            reg.enterprise, reg.user = enterprise, user
            reg.status = EnterpriseRegistration.Status.APPROVED
            text = f"【人才服务平台】{reg.name}的企业注册已审核通过，请用用户名{reg.username}和注册时设置的密码登录。"
            notify.notify("signup.enterprise", text, [user.pk], link="/", zone_id=reg.zone_id)
        else:
            reg.status = EnterpriseRegistration.Status.REJECTED
            reg.password_hash = ""
            text = f"【人才服务平台】{reg.name}的企业注册未通过审核：{note}。如有疑问，{office_contact(reg.zone)}。"
            transaction.on_commit(lambda: notify.send_sms(phone, text, kind="signup.enterprise"))
        reg.review_note, reg.reviewed_by, reg.reviewed_at = note, ctx.user, timezone.now()
        reg.save(
            update_fields=[
                "status",
                "review_note",
                "reviewed_by",
                "reviewed_at",
                "enterprise",
                "user",
                "password_hash",
            ]
        )
        audit.record(
            ctx,
            "signup.enterprise.approve" if approve else "signup.enterprise.reject",
            reg,
            after={"enterprise": reg.enterprise_id, "user": reg.user_id, "review_note": note},
        )
    return reg
