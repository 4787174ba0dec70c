"""Policy redemption in the demo zone: published policies evaluated, claims in every state.

Runs after the registry is written. Every state change goes through the real services
(publish run, 代办 confirmation by the talent's specialist, multi-level approval by
different people, ledger payments, a reversal, review requests, a recurring cycle that
pauses those who no longer qualify), so the demo shows what the platform really does.
Deterministic for a given seed: samples are drawn from claims ordered by id.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db.models import Q

from talentpark.accounts.models import User
from talentpark.accounts.roles import Role
from talentpark.core.context import ActionContext
from talentpark.core.models import Zone
from talentpark.demo.identity import luhn_check_digit
from talentpark.policies import access, ledger, redemption, reviews, runs
from talentpark.policies.models import Claim, Policy, PublishRun
from talentpark.registry.models import Talent

S = Claim.Status
PROGRESSED_PER_POLICY = 36  # claims moved along per policy; the rest wait for 意愿确认


def _luhn_account(rng: random.Random) -> str:
    body = "62170" + "".join(str(rng.randrange(10)) for _ in range(13))
    return body + luhn_check_digit(body)


class Redeemer:
    def __init__(self, zone: Zone, as_of: dt.date, seed: int, say: Callable[[str], None]) -> None:
        self.zone, self.as_of, self.say = zone, as_of, say
        self.rng = random.Random(seed * 7919 + zone.pk)
        staff = User.objects.filter(zone=zone, is_active=True)
        self.office = staff.filter(role=Role.OFFICE).order_by("username").first()
        # Each level is approved by a handler of the department it is routed to (the office: None).
        self.handlers = {
            u.department_id: u for u in staff.filter(role=Role.DEPT).order_by("-username") if u.department_id
        }
        self.demo_talents = set(
            Talent.objects.filter(zone=zone, person__user__username__endswith="_talent_demo").values_list(
                "pk", flat=True
            )
        )

    def ctx(self, user: User | None, reason: str = "") -> ActionContext:
        if user is None:
            return ActionContext.system(reason=reason, zone_id=self.zone.pk)
        return ActionContext(user=user, role=user.role, zone_id=self.zone.pk, reason=reason)

    def run(self) -> dict[str, int]:
        if self.office is None:
            return {}
        for policy in Policy.objects.filter(zone=self.zone, status=Policy.Status.PUBLISHED).order_by("pk"):
            version = policy.current_version()
            if version is None or not version.is_valid_on(self.as_of):
                continue
            if policy.recurrence == Policy.Recurrence.MONTHLY:
                self._monthly(policy)
            else:
                self._evaluate(policy, self.as_of, PublishRun.Purpose.PUBLISH)
                self._progress(policy)
        self._reversal_and_reviews()
        counts: dict[str, int] = {}
        for status in Claim.objects.filter(zone=self.zone).values_list("status", flat=True):
            counts[status] = counts.get(status, 0) + 1
        return counts

    def _evaluate(self, policy: Policy, as_of: dt.date, purpose: str) -> PublishRun:
        version = policy.current_version()
        assert version is not None
        run = PublishRun.objects.create(
            zone=self.zone,
            version=version,
            purpose=purpose,
            cycle=runs.cycle_key(policy, as_of),
            as_of=as_of,
            created_by=self.office,
        )
        run = runs.execute_run(run.pk)
        self.say(f"政策兑现：{policy.title} {run.cycle} 符合条件 {run.eligible} 个，暂停 {run.paused} 个")
        return run

    def _monthly(self, policy: Policy) -> None:
        """Last month published and paid; this month re-checked: some continue, some pause."""
        last_month = (self.as_of.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        self._evaluate(policy, last_month, PublishRun.Purpose.PUBLISH)
        self._progress(policy, cycle=runs.cycle_key(policy, last_month), everyone_paid=True)
        # A few talents bought a home since: their rent-type benefit pauses this month.
        paid = Claim.objects.filter(policy=policy, status=S.PAID, talent__isnull=False).order_by("pk")
        movers = [c.talent_id for c in paid[:3] if c.talent_id is not None]
        Talent.objects.filter(pk__in=movers).update(housing=Talent.Housing.OWNED)
        self._evaluate(policy, self.as_of, PublishRun.Purpose.CYCLE)
        this = runs.cycle_key(policy, self.as_of)
        for claim in Claim.objects.filter(policy=policy, cycle=this, status=S.APPROVED).order_by("pk")[:10]:
            ledger.pay_claim(self.ctx(self.office), claim.pk, f"demo-pay-{claim.pk}")

    def _progress(self, policy: Policy, cycle: str | None = None, everyone_paid: bool = False) -> None:
        waiting = Claim.objects.filter(policy=policy, status__in=(S.NOTIFIED, S.APPLYING)).exclude(
            talent_id__in=self.demo_talents
        )
        if cycle:
            waiting = waiting.filter(cycle=cycle)
        waiting = waiting.filter(Q(enterprise__isnull=False) | Q(talent__person__bank_account__isnull=False))
        sample = list(
            waiting.select_related("talent__specialist", "enterprise", "policy").order_by("pk")[
                :PROGRESSED_PER_POLICY
            ]
        )
        for i, claim in enumerate(sample):
            plan = (
                "pay"
                if everyone_paid
                else ("confirm", "partial", "approve", "pay", "pay", "reject", "decline")[i % 7]
            )
            if plan == "decline":
                redemption.decline_claim(self._helper_ctx(claim), claim, "本人已享受同类待遇，自愿放弃")
                continue
            claim = redemption.confirm_claim(self._helper_ctx(claim), claim, self._confirmation(claim))
            if plan == "confirm":
                continue
            if plan == "reject":
                redemption.reject_claims(
                    self.ctx(self._approver(claim)), [claim], "社会保险缴纳记录与申报单位不一致"
                )
                continue
            levels = claim.levels_required if plan != "partial" else max(claim.levels_required - 1, 0)
            for _level in range(levels):
                [claim] = redemption.approve_claims(
                    self.ctx(self._approver(claim)), [claim], "材料齐全，符合条件"
                )
            if plan == "pay" and claim.status == S.APPROVED:
                ledger.pay_claim(self.ctx(self.office), claim.pk, f"demo-pay-{claim.pk}")

    def _approver(self, claim: Claim) -> User | None:
        """The handler of the department the claim's waiting level is routed to, else the office."""
        dept = access.approver_of(claim)
        return self.handlers.get(dept.pk, self.office) if dept is not None else self.office

    def _subject_user(self, claim: Claim) -> User | None:
        if claim.talent_id:
            return claim.talent.person.user  # type: ignore[union-attr]
        account = claim.enterprise.accounts.select_related("user").first()  # type: ignore[union-attr]
        return account.user if account else None

    def _helper_ctx(self, claim: Claim) -> ActionContext:
        """The subject herself when she has a login, else her specialist (帮办代办) or the office."""
        user = self._subject_user(claim)
        if user is not None:
            return self.ctx(user)
        helper = (claim.talent.specialist if claim.talent_id else claim.enterprise.specialist) or self.office  # type: ignore[union-attr]
        if helper is not None and helper.role not in (Role.SPECIALIST, Role.OFFICE):
            helper = self.office
        return self.ctx(helper, "服务专员电话联系本人，确认申领意愿")

    def _confirmation(self, claim: Claim) -> redemption.Confirmation:
        application = {
            f"m{i}": f"{item}（已上传扫描件）" for i, item in enumerate(redemption.materials(claim.policy))
        }
        if claim.talent_id:
            return redemption.Confirmation(application=application)
        return redemption.Confirmation(
            use_profile_account=False,
            bank_name="济宁银行高新区支行",
            bank_account=_luhn_account(self.rng),
            application=application,
        )

    def _reversal_and_reviews(self) -> None:
        from talentpark.policies.models import Decision, LedgerEntry

        entry = (
            LedgerEntry.objects.filter(zone=self.zone, kind=LedgerEntry.Kind.PAYMENT)
            .exclude(claim__cycle__regex=r"^\d{4}-\d{2}$")
            .order_by("pk")
            .first()
        )
        if entry is not None:
            ledger.reverse_payment(
                self.ctx(self.office), entry.pk, "收款账户已注销，退回后重新拨付", f"demo-rev-{entry.pk}"
            )
        for decision in Decision.objects.filter(zone=self.zone, talent__person__user__isnull=False).order_by(
            "pk"
        )[:1]:
            user: Any = decision.talent.person.user  # type: ignore[union-attr]
            reviews.request_review(
                self.ctx(user), decision, "我的职称已于本月晋升为正高级，请重新核定补贴标准"
            )
        paused = Decision.objects.filter(zone=self.zone, eligible=False).order_by("pk").first()
        if paused is not None and paused.talent_id:
            reviews.request_review(
                self.ctx(self.office, "代为提交"),
                paused,
                "本人反映已租住新房，住房情况登记有误，申请人工复核",
            )


def redeem(zone: Zone, as_of: dt.date, seed: int, say: Callable[[str], None]) -> dict[str, int]:
    return Redeemer(zone, as_of, seed, say).run()
