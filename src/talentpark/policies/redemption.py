"""Redeeming a claim (政策兑现 / 免申即享): the subject's side and the department's side.

The subject (or, 帮办代办, her specialist with a reason) confirms (``confirm_claim``) or
declines (``decline_claim``); the departments a policy routes to approve (``approve_claims``,
level by level, different people per level) or return it (``reject_claims``); the final
approval of a 人才认定 claim certifies the talent's tier. Status changes go through
``policies.workflow``; money moves only in ``policies.ledger``; a human review of the
automated decision is ``policies.reviews``.

Each operation validates its input whole (Chinese "字段：原因" messages), runs in one
transaction and writes one audit row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from talentpark.accounts.roles import Role
from talentpark.core import audit
from talentpark.core.context import ActionContext
from talentpark.core.validation import FieldErrors
from talentpark.policies import access, workflow
from talentpark.policies.models import Certification, Claim, ClaimDocument, ClaimEvent, Policy
from talentpark.registry import services as registry_services
from talentpark.registry import wallet
from talentpark.registry.models import Document, Talent
from talentpark.registry.wallet import clean_bank_account  # one rule for every form

S = Claim.Status


# --------------------------------------------------------------------------- the subject's side


def owns(user: Any, claim: Claim) -> bool:
    if user is None:
        return False
    if claim.talent_id:
        return (
            user.role == Role.TALENT and Talent.objects.filter(pk=claim.talent_id, person__user=user).exists()
        )
    account = getattr(user, "enterprise_account", None)
    return user.role == Role.HR and account is not None and account.enterprise_id == claim.enterprise_id


def acts_for(user: Any, claim: Claim) -> bool:
    """帮办代办: the subject's own specialist (or the office) may confirm on her behalf, with a reason."""
    if user is None or user.role not in (Role.SPECIALIST, Role.OFFICE) or user.zone_id != claim.zone_id:
        return False
    if user.role == Role.OFFICE:
        return True
    if claim.talent_id:
        return Talent.objects.filter(pk=claim.talent_id, specialist=user).exists()
    return claim.enterprise is not None and claim.enterprise.specialist_id == user.pk


@dataclass
class Confirmation:
    use_profile_account: bool = True
    payee_name: str = ""
    bank_name: str = ""
    bank_account: str = ""
    application: dict[str, str] | None = None
    # 一次申报: per material ("m0", "m1" …) the id of a document in her 材料库, attached by reference.
    documents: dict[str, int] | None = None
    # Her consent to keep the account typed here on her profile (prefilled next time).
    save_account: bool = False


def prefill(claim: Claim) -> dict[str, Any]:
    """What the department needs, taken from the profile (一次申报): shown masked, never re-typed."""
    if claim.talent_id:
        talent = Talent.objects.select_related("person", "employer").get(pk=claim.talent_id)
        person = talent.person
        docs = list(wallet.documents_of(talent))
        return {
            "payee_name": person.name,
            "bank_name": person.bank_name,
            "bank_account": person.bank_account,  # Sensitive: masked when rendered
            "documents": docs,
            "suggested": suggested_documents(claim, docs),
            "profile": {
                "姓名": person.name,
                "工作单位": talent.employer.name if talent.employer else "—",
                "最高学历": person.get_highest_degree_display() or "—",
                "专业技术职称": talent.get_professional_title_display(),
                "入区时间": talent.zone_entry_date.isoformat(),
                "人才层次": talent.get_tier_display(),
            },
        }
    ent = claim.enterprise
    assert ent is not None
    return {
        "payee_name": ent.name,
        "bank_name": "",
        "bank_account": None,
        "documents": [],
        "suggested": {},
        "profile": {"企业名称": ent.name, "统一社会信用代码": ent.uscc, "联系人": ent.contact_name or "—"},
    }


def materials(policy: Policy) -> list[str]:
    return [line.strip() for line in policy.materials.splitlines() if line.strip()]


def suggested_documents(claim: Claim, docs: Sequence[Document]) -> dict[str, int]:
    """Per material ("m0" …) the wallet document to preselect: the one she submitted for a material
    of the same name before, else her latest document of the kind the name asks for (学历 → 学历学位证书)."""
    if not docs or claim.talent_id is None:
        return {}
    mine = {d.pk for d in docs}
    used: dict[str, int] = {}
    for material, doc_id in (
        ClaimDocument.objects.filter(claim__talent_id=claim.talent_id, zone_id=claim.zone_id)
        .order_by("attached_at", "pk")
        .values_list("material", "document_id")
    ):
        if doc_id in mine:
            used[material] = doc_id  # the latest use wins
    out: dict[str, int] = {}
    for i, item in enumerate(materials(claim.policy)):
        if item in used:
            out[f"m{i}"] = used[item]
            continue
        kind = wallet.kind_for(item)
        match = next((d for d in docs if kind is not None and d.kind == kind), None)  # docs: newest first
        if match is not None:
            out[f"m{i}"] = match.pk
    return out


def upload_materials(
    ctx: ActionContext, claim: Claim, files: dict[str, Any]
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Files chosen on the application form (``f0`` … for material ``m0`` …) go into her 材料库
    first (``registry.wallet``: size, type by content, stored once); returns the documents' ids per
    material and the Chinese errors per material. A file stored stays in her 材料库 even if the
    application itself is not submitted yet: the form preselects it, she never uploads it twice."""
    if not files:
        return {}, {}
    items = materials(claim.policy)
    if claim.talent_id is None or not owns(ctx.user, claim):
        return {}, {"general": ["上传材料：只有本人可以上传到自己的材料库"]}
    talent = Talent.objects.get(pk=claim.talent_id)
    ids: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for key, upload in sorted(files.items()):
        i = int(key[1:])
        if i >= len(items):
            continue
        try:
            doc, _created = wallet.upload_document(ctx, talent, upload, kind=wallet.kind_for(items[i]) or "")
        except ValidationError as exc:
            errors[f"m{i}"] = [
                f"{items[i]}：{m.split('：', 1)[-1]}" for msgs in exc.message_dict.values() for m in msgs
            ]
        else:
            ids[f"m{i}"] = doc.pk
    return ids, errors


def confirm_claim(ctx: ActionContext, claim: Claim, data: Confirmation) -> Claim:
    """意愿确认 (免申即享) or submitting the prefilled application (申报类): one step."""
    errors = FieldErrors()
    proxy = not owns(ctx.user, claim)
    if proxy and not acts_for(ctx.user, claim):
        raise ValidationError({"claim": ["事项：只能由本人（或本企业人事）确认"]})
    if proxy and not ctx.reason.strip():
        errors.add("reason", "代办说明", "服务专员代为确认时须说明本人意愿的来源（如电话确认）")
    if claim.status not in (S.NOTIFIED, S.APPLYING):
        errors.add("status", "状态", f"该事项当前为“{claim.get_status_display()}”，无需再次确认")
    pre = prefill(claim)
    payee = bank_name = ""
    account: str | None = None
    needs_money = claim.amount > 0
    if needs_money:
        if data.use_profile_account and pre["bank_account"] is not None:
            payee, bank_name = pre["payee_name"], pre["bank_name"]
            account = pre["bank_account"].plaintext_for_processing()
        else:
            payee = (data.payee_name or "").strip() or pre["payee_name"]
            bank_name = (data.bank_name or "").strip()
            if not bank_name:
                errors.add("bank_name", "开户银行", "请填写开户银行")
            account = errors.check("bank_account", "银行账号", clean_bank_account, data.bank_account)
    save_account = bool(data.save_account and needs_money and account and claim.talent_id)
    save_account = save_account and not (data.use_profile_account and pre["bank_account"] is not None)
    if save_account and proxy:
        errors.add("save_account", "保存到我的档案", "只有本人可以把账户保存到自己的档案")
    application: dict[str, str] = {}
    attached: dict[str, Document] = {}
    if claim.status == S.APPLYING:
        given = data.application or {}
        chosen = data.documents or {}
        wallet_docs = {d.pk: d for d in pre["documents"]}
        for i, item in enumerate(materials(claim.policy)):
            value = (given.get(f"m{i}") or "").strip()
            doc_id = chosen.get(f"m{i}")
            if doc_id:
                doc = wallet_docs.get(doc_id)
                if doc is None:
                    errors.add(f"m{i}", item, "所选文件不在您的材料库中，请重新选择")
                    continue
                attached[item] = doc
                value = value or doc.title
            elif not value:
                errors.add(f"m{i}", item, "请填写材料说明，或从材料库选用、上传文件")
            application[item] = value[:500]
    errors.raise_if_any()
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.status != claim.status:
            raise ValidationError({"status": ["状态：该事项已被处理，请刷新页面"]})
        note = f"服务专员代办确认：{ctx.reason.strip()}" if proxy else "本人已确认，提交审核"
        workflow.transition(ctx, locked, S.REVIEWING, note=note)
        locked.confirmed_at = timezone.now()
        locked.payee_name, locked.bank_name = payee, bank_name
        locked.bank_account = account  # type: ignore[assignment]
        locked.application = application
        locked.save()
        for item, doc in attached.items():
            ClaimDocument.objects.create(
                zone_id=locked.zone_id, claim=locked, document=doc, material=item[:200]
            )
        audit.record(
            ctx,
            "policy.claim.confirm",
            locked,
            after={"status": locked.status, "documents": sorted(d.pk for d in attached.values())},
        )
        if save_account:  # her consent, ticked on this form: the next form prefills it
            assert claim.talent_id is not None and account is not None
            wallet.save_payment_account(ctx, Talent.objects.get(pk=claim.talent_id), bank_name, account)
    return locked


def decline_claim(ctx: ActionContext, claim: Claim, reason: str = "") -> Claim:
    proxy = not owns(ctx.user, claim)
    if proxy and not (acts_for(ctx.user, claim) and ctx.reason.strip()):
        raise ValidationError(
            {"claim": ["事项：只能由本人（或本企业人事）操作；服务专员代办须说明本人意愿的来源"]}
        )
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        workflow.transition(ctx, locked, S.DECLINED, note=(reason or "本人放弃").strip())
        locked.save()
        audit.record(ctx, "policy.claim.decline", locked, after={"status": locked.status})
    return locked


# --------------------------------------------------------------------------- the department's side


def _approvers(claim: Claim) -> set[int]:
    return set(
        ClaimEvent.objects.filter(claim=claim, level__isnull=False, actor__isnull=False).values_list(
            "actor_id", flat=True
        )
    )


def _not_routed(ctx: ActionContext, claim: Claim, name: str) -> str | None:
    """Why ``ctx.user`` may not decide ``claim`` now, or None when the waiting level is hers."""
    if access.may_decide(ctx.user, claim):
        return None
    if claim.status == S.APPROVED:
        return f"{name}：已审核通过、等待拨付的事项只能由人才办退回"
    approver = access.approver_of(claim)
    who = approver.name if approver is not None else "人才办"
    return f"{name}：第{claim.levels_done + 1}级审核由“{who}”负责，您无权处理"


def approve_claims(ctx: ActionContext, claims: Sequence[Claim], reason: str = "") -> list[Claim]:
    """Approve one level of each claim; all or nothing. Levels need different people, and each
    level only by the department it is routed to (``ApprovalLevel``; no row: the office)."""
    if not claims:
        raise ValidationError({"claims": ["审核事项：请至少选择一项"]})
    done: list[Claim] = []
    with transaction.atomic():
        problems: list[str] = []
        locked = list(Claim.objects.select_for_update().filter(pk__in=[c.pk for c in claims]).order_by("pk"))
        for claim in locked:
            name = f"{claim.subject_name}（{claim.policy.title}）"
            if claim.status != S.REVIEWING:
                problems.append(f"{name}：当前为“{claim.get_status_display()}”，不在审核中")
            elif ctx.user is not None and ctx.user.pk in _approvers(claim):
                problems.append(f"{name}：您已审核过本事项的上一级，各级审核须由不同人员完成")
            elif (why := _not_routed(ctx, claim, name)) is not None:
                problems.append(why)
        if problems:
            raise ValidationError({"claims": problems})
        for claim in locked:
            level = claim.levels_done + 1
            claim.levels_done = level
            if level < claim.levels_required:
                to = S.REVIEWING
            elif claim.policy.is_certification:
                to = S.CERTIFIED
            elif claim.amount > 0:
                to = S.APPROVED
            else:
                to = S.GRANTED
            note = f"第{level}级审核通过" + (f"：{reason}" if reason else "")
            workflow.transition(ctx, claim, to, note=note, level=level)
            claim.save()
            if to == S.CERTIFIED:
                _certify(ctx, claim)
            audit.record(ctx, "policy.claim.approve", claim, after={"status": to, "level": level})
            done.append(claim)
    return done


def reject_claims(ctx: ActionContext, claims: Sequence[Claim], reason: str) -> list[Claim]:
    reason = (reason or "").strip()
    errors = FieldErrors()
    if not claims:
        errors.add("claims", "审核事项", "请至少选择一项")
    if not reason:
        errors.add("reason", "退回理由", "不通过时必须说明理由，理由将告知申请人")
    errors.raise_if_any()
    done: list[Claim] = []
    with transaction.atomic():
        locked = list(Claim.objects.select_for_update().filter(pk__in=[c.pk for c in claims]).order_by("pk"))
        bad = []
        for c in locked:
            if c.status not in (S.REVIEWING, S.APPROVED):
                bad.append(f"{c.subject_name}：当前为“{c.get_status_display()}”，不能退回")
            elif (why := _not_routed(ctx, c, f"{c.subject_name}（{c.policy.title}）")) is not None:
                bad.append(why)
        if bad:
            raise ValidationError({"claims": bad})
        for claim in locked:
            workflow.transition(
                ctx, claim, S.REJECTED, note=f"审核未通过：{reason}", level=claim.levels_done + 1
            )
            claim.save()
            audit.record(ctx, "policy.claim.reject", claim, after={"status": S.REJECTED, "reason": reason})
            done.append(claim)
    return done


def _certify(ctx: ActionContext, claim: Claim) -> Certification:
    """Final approval of a 人才认定 claim: store the tier with its validity on the talent."""
    assert claim.talent_id is not None
    version = claim.version
    start = timezone.localdate()
    years = version.valid_years_for(claim.tier)
    try:
        until = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        until = start.replace(year=start.year + years, day=28)
    cert = Certification.objects.create(
        zone_id=claim.zone_id,
        talent_id=claim.talent_id,
        claim=claim,
        tier=claim.tier,
        valid_from=start,
        valid_until=until,
        certified_by=ctx.user,
    )
    talent = Talent.objects.get(pk=claim.talent_id)
    registry_services.set_talent_tier(ctx, talent, claim.tier, until)
    return cert
