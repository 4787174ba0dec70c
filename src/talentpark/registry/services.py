"""Registry domain operations. Each owns its transaction and writes one audit row.

Input is validated whole first: if any field is wrong nothing is written, and every
wrong field is reported with its Chinese label and reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from talentpark.core import audit, dictionaries
from talentpark.core.codes import DEGREE_RANK, Degree, ProfessionalTitle, ProgrammeLevel, Sex, SkillLevel
from talentpark.core.context import ActionContext
from talentpark.core.crypto import blind_index
from talentpark.core.models import Industry, University, Zone
from talentpark.core.normalize import clean_text
from talentpark.core.search import index as search_index
from talentpark.core.validation import FieldErrors, field_label, parse_date
from talentpark.core.validators import parse_resident_id, validate_mobile, validate_uscc
from talentpark.registry import rules, signals
from talentpark.registry.models import Education, Enterprise, Person, Talent

TALENT_AUDIT_FIELDS = (
    "employer",
    "position_title",
    "zone_entry_date",
    "professional_title",
    "skill_level",
    "programme_level",
    "programme_name",
    "tier",
    "housing",
    "status",
    "specialist",
    "department",
)
ENTERPRISE_EDITABLE = (
    "name",
    "short_name",
    "uscc",
    "scale",
    "founded_on",
    "registered_capital",
    "employee_count",
    "is_high_tech",
    "address",
    "contact_name",
    "contact_phone",
    "description",
    "industry",
)
ENTERPRISE_AUDIT_FIELDS = (*ENTERPRISE_EDITABLE, "is_key", "division")


@dataclass
class EducationInput:
    degree: str
    major: str
    university: str
    graduated_on: Any = None


@dataclass
class TalentInput:
    """What a talent declares once (一次申报) or the office registers for her."""

    name: str
    id_number: str
    phone: str
    zone_entry_date: Any
    sex: str = ""
    birth_date: Any = None
    employer_id: int | None = None
    position_title: str = ""
    professional_title: str = ProfessionalTitle.NONE
    skill_level: str = SkillLevel.NONE
    programme_level: str = ProgrammeLevel.NONE
    programme_name: str = ""
    housing: str = Talent.Housing.RENTED
    is_returnee: bool = False
    returnee_country: str = ""
    educations: list[EducationInput] = field(default_factory=list)


def _choice(errors: FieldErrors, name: str, label: str, value: str, choices: Any) -> str | None:
    if value in choices.values:
        return value
    errors.add(name, label, f"“{value}”不是有效选项")
    return None


def own_zone_only(ctx: ActionContext, zone_id: int) -> None:
    """Zones are sealed: a user of one zone never writes another zone's records."""
    if ctx.zone_id is not None and ctx.zone_id != zone_id:
        raise ValidationError({"zone": ["园区：只能办理本园区的数据"]})


def register_talent(ctx: ActionContext, zone: Zone, data: TalentInput) -> Talent:
    """Register a talent in ``zone``; the person is found by ID number within the zone, or created."""
    own_zone_only(ctx, zone.pk)
    errors = FieldErrors()
    name = clean_text(data.name)
    if not name:
        errors.add("name", "姓名", "不能为空")
    elif len(name) > 50:
        errors.add("name", "姓名", "不能超过50个字")
    rid = errors.check("id_number", "身份证号", parse_resident_id, data.id_number)
    phone = errors.check("phone", "手机号码", validate_mobile, data.phone)
    entry = errors.check("zone_entry_date", "入区时间", parse_date, data.zone_entry_date)
    if entry and entry > dt.date.today():
        errors.add("zone_entry_date", "入区时间", "不能晚于今天")
    if rid:
        if data.sex and data.sex != rid.sex:
            errors.add("sex", "性别", f"与身份证号不一致（身份证号显示为{Sex(rid.sex).label}）")
        if data.birth_date:
            bd = errors.check("birth_date", "出生日期", parse_date, data.birth_date)
            if bd and bd != rid.birth_date:
                errors.add("birth_date", "出生日期", f"与身份证号不一致（应为{rid.birth_date.isoformat()}）")
    _choice(errors, "professional_title", "专业技术职称", data.professional_title, ProfessionalTitle)
    _choice(errors, "skill_level", "职业技能等级", data.skill_level, SkillLevel)
    _choice(errors, "programme_level", "入选人才计划", data.programme_level, ProgrammeLevel)
    programme_level, programme_name = rules.programme(
        errors,
        dictionaries.matcher(dictionaries.PROGRAMMES, zone.pk),
        data.programme_level,
        clean_text(data.programme_name),
    )
    _choice(errors, "housing", "住房情况", data.housing, Talent.Housing)
    employer = None
    if data.employer_id is not None:
        employer = Enterprise.objects.filter(pk=data.employer_id, zone=zone).first()
        if employer is None:
            errors.add("employer_id", "工作单位", "不是本园区登记的企业")
    educations: list[tuple[EducationInput, University, dt.date | None]] = []
    for i, edu in enumerate(data.educations):
        key = f"educations.{i}"
        if _choice(errors, f"{key}.degree", "学历", edu.degree, Degree) is None:
            continue
        uni = University.objects.filter(name=clean_text(edu.university)).first()
        if uni is None:
            errors.add(f"{key}.university", "毕业院校", f"“{edu.university}”不在院校代码表中")
            continue
        grad = (
            errors.check(f"{key}.graduated_on", "毕业时间", parse_date, edu.graduated_on)
            if edu.graduated_on
            else None
        )
        educations.append((edu, uni, grad))
    errors.raise_if_any()
    assert rid is not None and entry is not None

    with transaction.atomic():
        person = (
            Person.objects.select_for_update()
            .filter(zone=zone, id_number_hash=blind_index(rid.number, "id_number"))
            .first()
        )
        if person is None:
            person = Person(zone=zone, id_number=rid.number, sex=rid.sex, birth_date=rid.birth_date)
        person.name = name
        person.phone = phone
        person.is_returnee = data.is_returnee
        person.returnee_country = clean_text(data.returnee_country)
        person.save()
        for edu, uni, grad in educations:
            Education.objects.create(
                zone=zone,
                person=person,
                degree=edu.degree,
                major=clean_text(edu.major),
                university=uni,
                graduated_on=grad,
            )
        if educations:
            best = max((e[0].degree for e in educations), key=lambda d: DEGREE_RANK[d])  # type: ignore[index]
            if not person.highest_degree or DEGREE_RANK[best] > DEGREE_RANK[person.highest_degree]:  # type: ignore[index]
                person.highest_degree = best
                person.save(update_fields=["highest_degree"])
        if Talent.objects.filter(zone=zone, person=person).exists():
            raise ValidationError({"id_number": ["身份证号：该人员已在本园区人才库中登记"]})
        talent = Talent(
            zone=zone,
            person=person,
            employer=employer,
            position_title=clean_text(data.position_title),
            zone_entry_date=entry,
            professional_title=data.professional_title,
            skill_level=data.skill_level,
            programme_level=programme_level,
            programme_name=programme_name,
            housing=data.housing,
        )
        try:
            with transaction.atomic():
                talent.save()
        except IntegrityError:
            raise ValidationError({"id_number": ["身份证号：该人员已在本园区人才库中登记"]}) from None
        audit.record(ctx, "talent.register", talent, after=audit.snapshot(talent, TALENT_AUDIT_FIELDS))
        search_index.reindex(Talent, [talent.pk])
        signals.announce(zone.pk, talents=[talent.pk], reason="人才登记")
    return talent


def update_enterprise(ctx: ActionContext, enterprise: Enterprise, changes: dict[str, Any]) -> Enterprise:
    """Edit an enterprise's profile (HR for its own, the office for any in its zone).

    Only ``ENTERPRISE_EDITABLE`` fields are accepted; anything else is rejected, so a
    request cannot set ``is_key`` or move the enterprise to another zone.
    """
    own_zone_only(ctx, enterprise.zone_id)
    errors = FieldErrors()
    unknown = sorted(set(changes) - set(ENTERPRISE_EDITABLE))
    for name in unknown:
        errors.add(name, name, "不允许修改该字段")
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name in unknown:
            continue
        label = field_label(Enterprise, name)
        if name == "uscc":
            code = errors.check(name, label, validate_uscc, value)
            if code and code[2:4] != (enterprise.division_id or "")[:2]:
                errors.add(name, label, "第3至8位的登记管理机关行政区划与企业注册地不在同一省份")
            clean[name] = code
        elif name == "contact_phone":
            clean[name] = errors.check(name, label, validate_mobile, value) if value else None
        elif name == "founded_on":
            clean[name] = errors.check(name, label, parse_date, value) if value else None
        elif name == "industry":
            industry = Industry.objects.filter(pk=str(value)).first()
            if industry is None:
                errors.add(name, label, f"“{value}”不是GB/T 4754-2017行业代码")
            clean[name] = industry
        elif name == "scale":
            clean[name] = _choice(errors, name, label, str(value), Enterprise.Scale)
        elif name in ("employee_count",):
            try:
                clean[name] = int(value)
                if clean[name] < 0:
                    raise ValueError
            except (TypeError, ValueError):
                errors.add(name, label, "应为不小于0的整数")
        elif name == "registered_capital":
            try:
                clean[name] = None if value in (None, "") else round(float(value), 2)
                if clean[name] is not None and clean[name] < 0:
                    raise ValueError
            except (TypeError, ValueError):
                errors.add(name, label, "应为不小于0的数字（万元）")
        elif name == "is_high_tech":
            clean[name] = bool(value) and value not in ("0", "false", "False")
        else:
            text = clean_text(str(value or "")) if name != "description" else str(value or "").strip()
            max_len = getattr(Enterprise._meta.get_field(name), "max_length", None)
            if name == "name" and not text:
                errors.add(name, label, "不能为空")
            if max_len and len(text) > max_len:
                errors.add(name, label, f"不能超过{max_len}个字")
            clean[name] = text
    errors.raise_if_any()

    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        before = audit.snapshot(locked, ENTERPRISE_AUDIT_FIELDS)
        for name, value in clean.items():
            setattr(locked, name, value)
        try:
            # The unique constraint (zone, uscc) is the guard; a race loses here, not with a 500.
            with transaction.atomic():
                locked.save(update_fields=[*clean.keys(), "updated_at"])
        except IntegrityError:
            raise ValidationError({"uscc": ["统一社会信用代码：本园区已有企业使用该代码"]}) from None
        after = audit.snapshot(locked, ENTERPRISE_AUDIT_FIELDS)
        old, new = audit.diff(before, after)
        audit.record(ctx, "enterprise.update", locked, before=old, after=new)
        search_index.reindex(Enterprise, [locked.pk])
        if new:
            signals.announce(locked.zone_id, enterprises=[locked.pk], reason="企业信息变更")
    return locked


__all__ = ["EducationInput", "TalentInput", "register_talent", "update_enterprise"]


def set_talent_tier(ctx: ActionContext, talent: Talent, tier: str, valid_until: dt.date | None) -> Talent:
    """Record a certified tier (人才认定) and its validity on the talent.

    Called by the policies app inside its certification transaction; writes its own audit row.
    """
    if tier not in Talent.Tier.values:
        raise ValidationError({"tier": [f"人才层次：{tier} 不是有效层次"]})
    with transaction.atomic():
        locked = Talent.objects.select_for_update().get(pk=talent.pk)
        before = audit.snapshot(locked, ("tier", "tier_valid_until"))
        locked.tier, locked.tier_valid_until = tier, valid_until
        locked.save(update_fields=["tier", "tier_valid_until", "updated_at"])
        audit.record(
            ctx,
            "talent.tier",
            locked,
            before=before,
            after=audit.snapshot(locked, ("tier", "tier_valid_until")),
        )
        signals.announce(locked.zone_id, talents=[locked.pk], reason="人才认定层次变更")
    return locked


# ---------------------------------------------------------------- a talent's own profile
# (imports local to this section: the top of the module is edited by others)
from django.utils import timezone  # noqa: E402

from talentpark.registry.models import ProfileChange  # noqa: E402

#
# She edits her own record. Contact details apply at once; what a policy decides on
# (degree, title, skill level, employer, programme) and her phone need the office to
# verify it: they become a pending ProfileChange, and the record keeps the old values
# until it is approved.

DIRECT_PROFILE_FIELDS = ("email", "position_title", "housing")
VERIFIED_PROFILE_FIELDS = (
    "phone",
    "highest_degree",
    "professional_title",
    "title_discipline",
    "skill_level",
    "skill_occupation",
    "employer",
    "programme_level",
    "programme_name",
)
PROFILE_FIELDS = DIRECT_PROFILE_FIELDS + VERIFIED_PROFILE_FIELDS
_PERSON_FIELDS = ("email", "phone", "highest_degree")
PROFILE_LABELS = {
    "email": "电子邮箱",
    "position_title": "职务/岗位",
    "housing": "住房情况",
    "phone": "手机号码",
    "highest_degree": "最高学历",
    "professional_title": "专业技术职称",
    "title_discipline": "职称专业",
    "skill_level": "职业技能等级",
    "skill_occupation": "技能工种",
    "employer": "工作单位",
    "programme_level": "入选人才计划",
    "programme_name": "人才计划名称",
}
_PROFILE_CHOICES: dict[str, Any] = {
    "housing": Talent.Housing,
    "highest_degree": Degree,
    "professional_title": ProfessionalTitle,
    "skill_level": SkillLevel,
    "programme_level": ProgrammeLevel,
}


def profile_value(talent: Talent, name: str) -> Any:
    """The current value of a profile field, as stored (codes, the employer's id, the phone's text)."""
    if name == "phone":
        phone: Any = talent.person.phone  # a Sensitive (self-masking) or None
        return phone.plaintext_for_processing() if phone is not None else ""
    if name == "employer":
        return talent.employer_id
    owner: Any = talent.person if name in _PERSON_FIELDS else talent
    return getattr(owner, name) or ""


def profile_display(talent: Talent, name: str, value: Any) -> str:
    """A profile value as a person reads it: labels for codes, the employer's name, a masked phone."""
    from talentpark.core.masking import mask

    if value in (None, ""):
        choices = _PROFILE_CHOICES.get(name)
        return str(choices("").label) if choices is not None and "" in choices.values else "—"
    if name == "phone":
        return mask("phone", str(value))
    if name == "employer":
        ent = Enterprise.objects.filter(pk=value).only("name").first()
        return ent.name if ent else "—"
    if name in _PROFILE_CHOICES and value in _PROFILE_CHOICES[name].values:
        return str(_PROFILE_CHOICES[name](value).label)
    return str(value)


def _clean_profile(talent: Talent, data: dict[str, Any], errors: FieldErrors) -> dict[str, Any]:
    """Validated values of the fields in ``data`` that differ from the record."""
    from django.core.validators import validate_email

    from talentpark.registry.rules import free_text

    clean: dict[str, Any] = {}
    for name in sorted(set(data) - set(PROFILE_FIELDS)):
        errors.add(name, name, "不允许修改该字段")
    for name in PROFILE_FIELDS:
        if name not in data:
            continue
        label = PROFILE_LABELS[name]
        raw = data[name]
        value: Any
        if name == "email":
            value = str(raw or "").strip()
            if value:
                if len(value) > 254:
                    errors.add(name, label, "不能超过254个字符")
                    continue
                try:
                    validate_email(value)
                except ValidationError:
                    errors.add(name, label, "格式不正确，应如 name@example.com")
                    continue
        elif name == "phone":
            value = errors.check(name, label, validate_mobile, raw)
            if value is None:
                continue
        elif name == "employer":
            if raw in (None, ""):
                value = None
            else:
                try:
                    pk = int(raw)
                except (TypeError, ValueError):
                    pk = 0
                if not Enterprise.objects.filter(pk=pk, zone_id=talent.zone_id).exists():
                    errors.add(name, label, "不是本园区登记的企业")
                    continue
                value = pk
        elif name in _PROFILE_CHOICES:
            value = _choice(errors, name, label, str(raw or ""), _PROFILE_CHOICES[name])
            if value is None:
                continue
        else:
            field = Talent._meta.get_field(name)
            before = len(errors.errors.get(name, []))
            value = free_text(
                errors, name, label, raw, max_len=getattr(field, "max_length", 0) or 0, formula_guard=True
            )
            if len(errors.errors.get(name, [])) > before:
                continue
            if name == "programme_name" and value:  # the zone's dictionary spelling of a local programme
                known = dictionaries.match(dictionaries.PROGRAMMES, talent.zone_id, value)
                value = known.label if known is not None else value
        if value != profile_value(talent, name) and not (
            value in (None, "") and not profile_value(talent, name)
        ):
            clean[name] = value
    return clean


def _apply_profile(talent: Talent, person: Person, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name == "employer":
            talent.employer_id = value
        elif name in _PERSON_FIELDS:
            setattr(person, name, value or ("" if name != "phone" else None))
        else:
            setattr(talent, name, value)


def _profile_fields_saved(values: dict[str, Any]) -> tuple[list[str], list[str]]:
    person = [n for n in values if n in _PERSON_FIELDS]
    if "phone" in person:
        person.append("phone_hash")  # the blind index is computed on save, only if listed
    talent = ["employer" if n == "employer" else n for n in values if n not in _PERSON_FIELDS]
    return person, talent


def update_own_profile(
    ctx: ActionContext, talent: Talent, data: dict[str, Any], note: str = ""
) -> tuple[list[str], ProfileChange | None]:
    """A talent edits her own record: contact fields at once, verified fields by request.

    Returns the names of the fields applied and the pending request created (or None).
    Bad input changes nothing; a second request while one is pending is refused.
    """
    errors = FieldErrors()
    clean = _clean_profile(talent, data, errors)
    note = clean_text(note)[:300]
    direct = {k: v for k, v in clean.items() if k in DIRECT_PROFILE_FIELDS}
    verified = {k: v for k, v in clean.items() if k in VERIFIED_PROFILE_FIELDS}
    if verified and ProfileChange.objects.filter(talent=talent, status=ProfileChange.Status.PENDING).exists():
        errors.add("changes", "档案变更申请", "已有一项待人才办审核，审核完成后才能再次提交")
    if not errors and not clean:
        errors.add("changes", "档案修改", "没有需要保存的变更")
    errors.raise_if_any()

    with transaction.atomic():
        locked = Talent.objects.select_for_update().select_related("person").get(pk=talent.pk)
        person = Person.objects.select_for_update().get(pk=locked.person_id)
        locked.person = person
        change = None
        applied_before = {k: _audit_value(locked, k) for k in direct}
        if direct:
            _apply_profile(locked, person, direct)
            person_fields, talent_fields = _profile_fields_saved(direct)
            if person_fields:
                person.save(update_fields=[*person_fields, "updated_at"])
            if talent_fields:
                locked.save(update_fields=[*talent_fields, "updated_at"])
        if verified:
            change = ProfileChange(
                zone_id=locked.zone_id,
                talent=locked,
                requested_by=ctx.user,
                changes={k: v for k, v in verified.items() if k != "phone"},
                previous={k: _audit_value(locked, k) for k in verified},
                new_phone=verified.get("phone"),
                note=note,
            )
            try:
                with transaction.atomic():
                    change.save()
            except IntegrityError:  # a concurrent request won the partial unique index
                raise ValidationError(
                    {"changes": ["档案变更申请：已有一项待人才办审核，审核完成后才能再次提交"]}
                ) from None
        audit.record(
            ctx,
            "talent.profile.update",
            locked,
            before=applied_before or None,
            after={
                "applied": {k: _audit_value(locked, k) for k in direct},
                "requested": sorted(verified),
                "request": change.pk if change else None,
            },
        )
        search_index.reindex(Talent, [locked.pk])
        if direct:
            signals.announce(locked.zone_id, talents=[locked.pk], reason="人才档案变更")
    return sorted(direct), change


def _audit_value(talent: Talent, name: str) -> Any:
    """A field's value for the audit trail and the reviewer: the phone masked, never in clear."""
    if name == "phone":
        phone: Any = talent.person.phone
        return phone.masked if phone is not None else ""
    return profile_value(talent, name)


def review_profile_change(
    ctx: ActionContext, change: ProfileChange, approve: bool, note: str = ""
) -> ProfileChange:
    """The office approves (applies the changes) or rejects (the record keeps its values) a request."""
    note = clean_text(note)[:300]
    if not approve and not note:
        raise ValidationError({"review_note": ["审核意见：退回时必填，将告知申请人"]})
    with transaction.atomic():
        locked = ProfileChange.objects.select_for_update().get(pk=change.pk)
        if locked.status != ProfileChange.Status.PENDING:
            raise ValidationError({"status": [f"状态：该申请已{locked.get_status_display()}，不能再次审核"]})
        talent = Talent.objects.select_for_update().get(pk=locked.talent_id)
        person = Person.objects.select_for_update().get(pk=talent.person_id)
        talent.person = person
        values = dict(locked.changes)
        new_phone: Any = locked.new_phone
        if new_phone is not None:
            values["phone"] = new_phone.plaintext_for_processing()
        if "employer" in values and values["employer"] is not None:
            if not Enterprise.objects.filter(pk=values["employer"], zone_id=talent.zone_id).exists():
                raise ValidationError({"employer": ["工作单位：该企业已不在本园区企业库中，请退回申请"]})
        before = {k: _audit_value(talent, k) for k in values}
        if approve:
            _apply_profile(talent, person, values)
            person_fields, talent_fields = _profile_fields_saved(values)
            if person_fields:
                person.save(update_fields=[*person_fields, "updated_at"])
            if talent_fields:
                talent.save(update_fields=[*talent_fields, "updated_at"])
        locked.status = ProfileChange.Status.APPROVED if approve else ProfileChange.Status.REJECTED
        locked.review_note = note
        locked.reviewed_by = ctx.user
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
        audit.record(
            ctx,
            "talent.profile.approve" if approve else "talent.profile.reject",
            talent,
            before=before,
            after={k: _audit_value(talent, k) for k in values} if approve else {"review_note": note},
        )
        if approve:
            search_index.reindex(Talent, [talent.pk])
            # Her old employer counts her no more (an enterprise fact): it is announced too.
            signals.announce(
                talent.zone_id,
                talents=[talent.pk],
                enterprises=[before.get("employer")] if "employer" in values else [],
                reason="人才档案变更审核通过",
            )
    return locked


def held_tier(talent: Talent, today: dt.date) -> str:
    """The talent's certified tier if it is still valid on ``today``, else "" (expired or none)."""
    if not talent.tier or (talent.tier_valid_until is not None and talent.tier_valid_until < today):
        return ""
    return str(talent.tier)


# ---------------------------------------------------------------- self-registration (talentpark.signup)


def link_person_login(ctx: ActionContext, talent: Talent, user: Any) -> None:
    """Give the talent's person record its login (a talent who registered herself); audited.

    Refused when the record already has one: one login per person record."""
    with transaction.atomic():
        linked = Person.objects.filter(pk=talent.person_id, user__isnull=True).update(user=user)
        if not linked:
            raise ValidationError({"id_number": ["身份证号：该人员已有登录账号"]})
        audit.record(ctx, "talent.login.link", talent, after={"user": user.pk, "username": user.username})


def create_enterprise(
    ctx: ActionContext,
    zone: Zone,
    *,
    name: str,
    uscc: str,
    industry: Industry,
    contact_name: str = "",
    contact_phone: str | None = None,
) -> Enterprise:
    """Register an enterprise in ``zone`` (an enterprise's own registration, once the office verified
    it): registered where its credit code says (positions 3–8), or in the zone's division."""
    from talentpark.core.models import Division

    own_zone_only(ctx, zone.pk)
    code = validate_uscc(uscc)
    division = Division.objects.filter(pk=code[2:8]).first() or zone.division
    with transaction.atomic():
        enterprise = Enterprise(
            zone=zone,
            name=clean_text(name),
            uscc=code,
            division=division,
            industry=industry,
            contact_name=clean_text(contact_name),
            contact_phone=contact_phone,
        )
        try:
            with transaction.atomic():
                enterprise.save()
        except IntegrityError:
            raise ValidationError({"uscc": ["统一社会信用代码：本园区已有企业使用该代码"]}) from None
        audit.record(
            ctx,
            "enterprise.create",
            enterprise,
            after=audit.snapshot(enterprise, ("name", "uscc", "division", "industry", "contact_name")),
        )
        search_index.reindex(Enterprise, [enterprise.pk])
    return enterprise


def link_enterprise_account(ctx: ActionContext, enterprise: Enterprise, user: Any) -> None:
    """Make ``user`` an HR account acting for ``enterprise``; audited."""
    from talentpark.registry.models import EnterpriseAccount

    own_zone_only(ctx, enterprise.zone_id)
    with transaction.atomic():
        account = EnterpriseAccount.objects.create(user=user, enterprise=enterprise)
        audit.record(
            ctx, "enterprise.account.link", account, zone_id=enterprise.zone_id, after={"user": user.pk}
        )
