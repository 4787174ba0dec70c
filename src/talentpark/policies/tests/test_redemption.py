"""免申即享 end to end through the services: author, publish, confirm, approve, pay, reverse, cycles."""

from __future__ import annotations

import datetime as dt
import decimal
import re

import pytest
from django.core.exceptions import ValidationError

from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog
from talentpark.policies import ledger, redemption, reviews, runs, versions
from talentpark.policies.models import (
    Certification,
    Claim,
    Decision,
    LedgerEntry,
    Policy,
    PolicyVersion,
    PublishRun,
    ReviewRequest,
)
from talentpark.policies.tests.factories import AS_OF, PHD_CLAUSES, make_policy, make_version
from talentpark.registry.models import Talent
from talentpark.registry.tests.factories import TalentFactory

pytestmark = pytest.mark.django_db
S = Claim.Status
GOOD_ACCOUNT = "6222020200112345679"  # 19 digits, valid Luhn check digit
D = decimal.Decimal


def ctx(user) -> ActionContext:  # type: ignore[no-untyped-def]
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id)


@pytest.fixture
def phd(world):  # type: ignore[no-untyped-def]
    """Tina holds a doctorate and a bank account on her profile; Carol's talent is a bachelor."""
    person = world.talent.person
    person.highest_degree = "11"
    person.bank_name = "中国工商银行济宁分行"
    person.bank_account = GOOD_ACCOUNT
    person.save()
    return world


def publish(world, version, as_of=AS_OF):  # type: ignore[no-untyped-def]
    run = runs.publish(ctx(world.alice), version, as_of)
    run.refresh_from_db()
    return run


def test_bad_rule_is_rejected_with_position_and_nothing_saved(world) -> None:
    policy = make_policy(world.zone)
    data = versions.VersionInput(
        target="talent",
        valid_from="2026-01-01",
        clauses=[
            {"article": "第三条", "text": "博士", "expr": "degre >= 4"},
            {"article": "三", "text": "", "expr": "age >= "},
        ],
        outcome_expr='"abc"',
    )
    with pytest.raises(ValidationError) as exc:
        versions.save_version(ctx(world.alice), policy, data)
    errors = exc.value.message_dict
    assert "degre" in " ".join(errors["clauses.0.expr"]) and "第1行" in " ".join(errors["clauses.0.expr"])
    assert errors["clauses.1.article"] and errors["clauses.1.text"]
    assert not PolicyVersion.objects.filter(policy=policy).exists()
    assert not AuditLog.objects.filter(action="policy.version.save").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        ("A=5, B=5", {"A": 5, "B": 5}),
        ("a：5；b:4", {"A": 5, "B": 4}),
        ("F=2", "层次只能是A至E"),
        ("A=0", "有效期应为1到10年"),
        ("A=5, A=4", "A类写了两次"),
        ("A五年", "格式不对"),
    ],
)
def test_per_tier_validity_is_parsed_or_refused_in_chinese(world, text, expected) -> None:
    policy = make_policy(world.zone, category=Policy.Category.CERTIFICATION, budget_total=None)
    data = versions.VersionInput(
        target="talent",
        valid_from="2026-01-01",
        clauses=[{"article": "第二条", "text": "就业", "expr": "has_employer"}],
        outcome_kind=PolicyVersion.OutcomeKind.TIER,
        outcome_expr='"E"',
        outcome_article="第三条",
        tier_validity=text,
    )
    if isinstance(expected, dict):
        version = versions.save_version(ctx(world.alice), policy, data)
        assert version.tier_validity == expected
        assert version.valid_years_for("A") == expected.get("A", 3) and version.valid_years_for("C") == 3
        return
    with pytest.raises(ValidationError) as exc:
        versions.save_version(ctx(world.alice), policy, data)
    assert expected in " ".join(exc.value.message_dict["tier_validity"])
    assert not PolicyVersion.objects.filter(policy=policy).exists()


def test_save_version_creates_numbered_drafts_and_audits(world) -> None:
    policy = make_policy(world.zone)
    data = versions.VersionInput(
        target="talent",
        valid_from="2026-01-01",
        clauses=PHD_CLAUSES,
        outcome_expr="100000",
        outcome_article="第四条",
    )
    v1 = versions.save_version(ctx(world.alice), policy, data)
    v2 = versions.save_version(ctx(world.alice), policy, data)
    assert (v1.number, v2.number, v2.status) == (1, 2, PolicyVersion.Status.DRAFT)
    assert AuditLog.objects.filter(action="policy.version.save").count() == 2


def test_publish_finds_who_qualifies_and_explains_why(phd) -> None:
    policy = make_policy(phd.zone)
    version = make_version(policy)
    run = publish(phd, version)
    assert run.status == PublishRun.Status.DONE and run.eligible == 1
    claim = Claim.objects.get(policy=policy)
    assert claim.talent_id == phd.talent.pk and claim.status == S.NOTIFIED
    assert claim.amount == D("100000.00")
    decision = claim.decision
    assert decision.eligible and decision.inputs["degree_level"] == 4
    assert "符合第三条" in decision.explanation and "博士" in decision.explanation
    # Carol's bachelor is not notified
    assert not Claim.objects.filter(talent=phd.carols_talent).exists()
    # publishing again (a new version) does not duplicate claims for the same cycle
    v2 = make_version(policy, status=PolicyVersion.Status.DRAFT)
    publish(phd, v2)
    assert Claim.objects.filter(policy=policy).count() == 1
    assert PolicyVersion.objects.get(pk=version.pk).status == PolicyVersion.Status.RETIRED


def test_decision_is_frozen_against_later_profile_edits(phd) -> None:
    policy = make_policy(phd.zone)
    publish(phd, make_version(policy))
    decision = Decision.objects.get(policy=policy)
    before = (decision.explanation, decision.inputs, decision.clauses)
    person = phd.talent.person
    person.highest_degree = "21"
    person.save()
    decision.refresh_from_db()
    assert (decision.explanation, decision.inputs, decision.clauses) == before
    with pytest.raises(PermissionError):
        decision.save()


def test_confirm_approve_pay_reverse_reconcile(phd) -> None:
    policy = make_policy(phd.zone)
    publish(phd, make_version(policy))
    claim = Claim.objects.get(policy=policy)
    claim = redemption.confirm_claim(ctx(phd.tina), claim, redemption.Confirmation())
    assert claim.status == S.REVIEWING
    assert claim.bank_account.plaintext_for_processing() == GOOD_ACCOUNT  # prefilled from the profile
    assert "6222" not in str(claim.bank_account)  # masked when shown

    [claim] = redemption.approve_claims(ctx(phd.dave), [claim], "材料齐全")
    assert (claim.status, claim.levels_done) == (S.REVIEWING, 1)
    with pytest.raises(ValidationError, match="不同人员"):
        redemption.approve_claims(ctx(phd.dave), [claim])
    [claim] = redemption.approve_claims(ctx(phd.alice), [claim])
    assert claim.status == S.APPROVED

    entry = ledger.pay_claim(ctx(phd.alice), claim.pk, "pay-1")
    again = ledger.pay_claim(ctx(phd.alice), claim.pk, "pay-1")
    other_key = ledger.pay_claim(ctx(phd.alice), claim.pk, "pay-2")
    assert entry.pk == again.pk == other_key.pk
    assert LedgerEntry.objects.filter(claim=claim).count() == 1
    policy.refresh_from_db()
    assert policy.budget_paid == D("100000.00")
    assert Claim.objects.get(pk=claim.pk).status == S.PAID

    rev = ledger.reverse_payment(ctx(phd.alice), entry.pk, "账号错误退回", "rev-1")
    assert rev.amount == -entry.amount and rev.reverses_id == entry.pk
    with pytest.raises(ValidationError, match="已冲正"):
        ledger.reverse_payment(ctx(phd.alice), entry.pk, "再次冲正", "rev-2")
    report = ledger.reconcile(policy)
    assert report.balanced and report.ledger_net == 0 and report.budget_paid == 0
    assert Claim.objects.get(pk=claim.pk).status == S.REVERSED
    events = list(Claim.objects.get(pk=claim.pk).events.values_list("to_status", flat=True))
    assert events == [S.NOTIFIED, S.REVIEWING, S.REVIEWING, S.APPROVED, S.PAID, S.REVERSED]


def test_bad_confirmations_change_nothing(phd) -> None:
    policy = make_policy(phd.zone)
    publish(phd, make_version(policy))
    claim = Claim.objects.get(policy=policy)
    with pytest.raises(ValidationError, match="本人"):
        redemption.confirm_claim(ctx(phd.erin), claim, redemption.Confirmation())
    bad = redemption.Confirmation(use_profile_account=False, bank_name="", bank_account="6222020200112345670")
    with pytest.raises(ValidationError) as exc:
        redemption.confirm_claim(ctx(phd.tina), claim, bad)
    assert "银行账号：校验位不正确" in " ".join(exc.value.message_dict["bank_account"])
    assert "开户银行" in " ".join(exc.value.message_dict["bank_name"])
    claim.refresh_from_db()
    assert (
        claim.status == S.NOTIFIED
        and claim.bank_account is None
        and not claim.events.exclude(from_status="").exists()
    )
    redemption.confirm_claim(ctx(phd.tina), claim, redemption.Confirmation())
    with pytest.raises(ValidationError, match="无需再次确认"):
        redemption.confirm_claim(ctx(phd.tina), Claim.objects.get(pk=claim.pk), redemption.Confirmation())


def test_payment_never_exceeds_the_budget(phd) -> None:
    policy = make_policy(phd.zone, budget_total=D("50000"), approval_levels=1)
    version = make_version(policy)
    with pytest.raises(runs.OverBudget, match=re.escape("预计兑现 ¥100,000.00，超出预算 ¥50,000.00")):
        publish(phd, version)
    runs.publish(ctx(phd.alice), version, AS_OF, confirm_amount="100000.00")  # the second confirmation
    claim = redemption.confirm_claim(
        ctx(phd.tina), Claim.objects.get(policy=policy), redemption.Confirmation()
    )
    [claim] = redemption.approve_claims(ctx(phd.alice), [claim])
    with pytest.raises(ValidationError, match="预算余额不足"):
        ledger.pay_claim(ctx(phd.alice), claim.pk, "k1")
    assert not LedgerEntry.objects.exists()
    policy.refresh_from_db()
    assert policy.budget_paid == 0 and Claim.objects.get(pk=claim.pk).status == S.APPROVED


def test_reject_needs_a_reason(phd) -> None:
    policy = make_policy(phd.zone)
    publish(phd, make_version(policy))
    claim = redemption.confirm_claim(
        ctx(phd.tina), Claim.objects.get(policy=policy), redemption.Confirmation()
    )
    with pytest.raises(ValidationError, match="理由"):
        redemption.reject_claims(ctx(phd.dave), [claim], " ")
    [claim] = redemption.reject_claims(ctx(phd.dave), [claim], "社保缴纳记录不足")
    assert claim.status == S.REJECTED and "社保" in claim.status_reason


def test_certification_sets_a_tier_other_rules_read(phd) -> None:
    cert_policy = make_policy(
        phd.zone,
        title="人才分类认定",
        category=Policy.Category.CERTIFICATION,
        budget_total=None,
        approval_levels=1,
    )
    version = make_version(
        cert_policy,
        clauses=[
            {"article": "第二条", "text": "在区内企业就业", "expr": "has_employer"},
            {"article": "第三条", "text": "硕士研究生及以上学历", "expr": "degree_level >= 3"},
        ],
        outcome_kind=PolicyVersion.OutcomeKind.TIER,
        outcome_expr='degree_level >= 4 ? "D" : (degree_level == 3 ? "E" : null)',
        outcome_article="第三条",
        tier_valid_years=3,
        tier_validity={"D": 4},  # D lasts four years here, the others three
    )
    publish(phd, version)
    claim = Claim.objects.get(policy=cert_policy, talent=phd.talent)
    assert claim.tier == "D"
    assert not Claim.objects.filter(policy=cert_policy, talent=phd.carols_talent).exists()
    claim = redemption.confirm_claim(ctx(phd.tina), claim, redemption.Confirmation())
    [claim] = redemption.approve_claims(ctx(phd.alice), [claim])
    assert claim.status == S.CERTIFIED
    cert = Certification.objects.get(claim=claim)
    talent = Talent.objects.get(pk=phd.talent.pk)
    assert (talent.tier, talent.tier_valid_until) == ("D", cert.valid_until)
    assert cert.valid_until.year == cert.valid_from.year + 4

    apartments = make_policy(phd.zone, title="人才公寓", category=Policy.Category.HOUSING, budget_total=None)
    apt = make_version(
        apartments,
        clauses=[{"article": "第三条", "text": "经认定的A至D类人才", "expr": 'tier in ["A", "B", "C", "D"]'}],
        outcome_kind=PolicyVersion.OutcomeKind.NONE,
        outcome_expr="",
    )
    publish(phd, apt, as_of=dt.date.today())
    assert Claim.objects.filter(policy=apartments, talent=phd.talent).exists()


def test_recurring_cycle_continues_or_pauses_with_reason(phd) -> None:
    second = TalentFactory(zone=phd.zone, person__highest_degree="11", zone_entry_date=dt.date(2019, 1, 1))
    policy = make_policy(
        phd.zone, title="博士生活补贴", recurrence=Policy.Recurrence.MONTHLY, approval_levels=1
    )
    publish(phd, make_version(policy, outcome_expr="2000"))
    first = {c.talent_id: c for c in Claim.objects.filter(policy=policy, cycle="2026-11")}
    assert set(first) == {phd.talent.pk, second.pk}
    for talent_claim, user in ((first[phd.talent.pk], phd.tina),):
        c = redemption.confirm_claim(ctx(user), talent_claim, redemption.Confirmation())
        redemption.approve_claims(ctx(phd.alice), [c])
    # Tina leaves her employer: next month she no longer qualifies
    Talent.objects.filter(pk=phd.talent.pk).update(employer=None)
    run = runs.start_cycle(ctx(phd.alice), policy, dt.date(2026, 12, 3))
    run.refresh_from_db()
    assert run.cycle == "2026-12" and run.paused == 1
    paused = Claim.objects.get(policy=policy, talent=phd.talent, cycle="2026-12")
    assert paused.status == S.PAUSED and "不符合第二条" in paused.status_reason
    assert not paused.decision.eligible
    # the second talent never confirmed the first month: asked again, not auto-continued
    assert Claim.objects.get(policy=policy, talent=second, cycle="2026-12").status == S.NOTIFIED


def test_review_request_creates_an_office_task(phd) -> None:
    policy = make_policy(phd.zone)
    publish(phd, make_version(policy))
    decision = Decision.objects.get(policy=policy)
    with pytest.raises(ValidationError, match="复核理由"):
        reviews.request_review(ctx(phd.tina), decision, "")
    review = reviews.request_review(ctx(phd.tina), decision, "我的博士学位证书已于上月认证")
    assert ReviewRequest.objects.filter(status=ReviewRequest.Status.OPEN, decision=decision).count() == 1
    with pytest.raises(ValidationError, match="已有待处理"):
        reviews.request_review(ctx(phd.tina), decision, "再次申请")
    reviews.resolve_review(ctx(phd.alice), review, ReviewRequest.Status.UPHELD, "经核实，判定无误")
    assert ReviewRequest.objects.get(pk=review.pk).status == ReviewRequest.Status.UPHELD


def test_application_policy_needs_its_materials(phd) -> None:
    policy = make_policy(
        phd.zone, mode=Policy.Mode.APPLY, materials="劳动合同\n社保缴纳证明", approval_levels=1
    )
    publish(phd, make_version(policy))
    claim = Claim.objects.get(policy=policy)
    assert claim.status == S.APPLYING
    with pytest.raises(ValidationError) as exc:
        redemption.confirm_claim(
            ctx(phd.tina), claim, redemption.Confirmation(application={"m0": "合同.pdf"})
        )
    assert "社保缴纳证明" in " ".join(exc.value.message_dict["m1"])
    claim = redemption.confirm_claim(
        ctx(phd.tina), claim, redemption.Confirmation(application={"m0": "合同.pdf", "m1": "社保记录2026"})
    )
    assert claim.application == {"劳动合同": "合同.pdf", "社保缴纳证明": "社保记录2026"}


def test_enterprise_policy_goes_through_hr(world) -> None:
    policy = make_policy(world.zone, title="重点企业奖励", target=Policy.Target.ENTERPRISE, approval_levels=1)
    version = make_version(
        policy,
        target=PolicyVersion.Target.ENTERPRISE,
        clauses=[{"article": "第二条", "text": "职工人数不少于10人", "expr": "employee_count >= 10"}],
        outcome_expr="min(employee_count * 1000, 50000)",
    )
    world.enterprise.employee_count = 30
    world.enterprise.save()
    publish(world, version)
    claim = Claim.objects.get(policy=policy, enterprise=world.enterprise)
    assert claim.amount == D("30000.00")
    with pytest.raises(ValidationError):
        redemption.confirm_claim(ctx(world.frank), claim, redemption.Confirmation())
    confirmed = redemption.confirm_claim(
        ctx(world.erin),
        claim,
        redemption.Confirmation(
            use_profile_account=False, bank_name="济宁银行高新区支行", bank_account="6222020200112345679"
        ),
    )
    assert confirmed.status == S.REVIEWING and confirmed.payee_name == world.enterprise.name


def test_publish_refuses_non_drafts_and_money_without_budget(world) -> None:
    policy = make_policy(world.zone, budget_total=None)
    version = make_version(policy)
    with pytest.raises(ValidationError, match="预算"):
        runs.publish(ctx(world.alice), version, AS_OF)
    assert PolicyVersion.objects.get(pk=version.pk).status == PolicyVersion.Status.DRAFT
    assert not PublishRun.objects.exists()


def test_specialist_may_confirm_on_behalf_with_a_reason(phd) -> None:
    policy = make_policy(phd.zone)
    publish(phd, make_version(policy))
    claim = Claim.objects.get(policy=policy)
    with pytest.raises(ValidationError, match="代办说明"):
        redemption.confirm_claim(ctx(phd.bob), claim, redemption.Confirmation())
    with pytest.raises(ValidationError, match="本人"):
        redemption.confirm_claim(ctx(phd.carol), claim, redemption.Confirmation())  # not her specialist
    helped = ActionContext(
        user=phd.bob, role=phd.bob.role, zone_id=phd.zone.pk, reason="11月3日电话确认本人意愿"
    )
    claim = redemption.confirm_claim(helped, claim, redemption.Confirmation())
    assert claim.status == S.REVIEWING
    assert claim.events.last().note.startswith("服务专员代办确认")


def test_the_daily_sweep_notifies_only_those_who_qualified_since_publishing(phd) -> None:
    from django.core.management import CommandError, call_command

    from talentpark.registry.tests.factories import PersonFactory

    system = ActionContext.system(zone_id=phd.zone.pk)
    policy = make_policy(phd.zone)
    publish(phd, make_version(policy))
    draft_only = make_policy(phd.zone, title="草稿政策")
    make_version(draft_only)  # never published: never swept
    tina_claim = Claim.objects.get(policy=policy)
    redemption.decline_claim(ctx(phd.tina), tina_claim, "暂不需要")
    assert runs.sweep(system, phd.zone.pk, AS_OF) == []  # nobody new; Tina's "no" stands

    newcomer = TalentFactory(
        zone=phd.zone,
        employer=phd.enterprise,
        person=PersonFactory(zone=phd.zone, highest_degree="11"),
        zone_entry_date=dt.date(2024, 5, 1),
    )
    too_new = TalentFactory(  # a doctor who entered the zone a month ago: not yet (第五条)
        zone=phd.zone,
        employer=phd.enterprise,
        person=PersonFactory(zone=phd.zone, highest_degree="11"),
        zone_entry_date=AS_OF,
    )
    swept = runs.sweep(system, phd.zone.pk, AS_OF)
    assert [(r.purpose, r.status, r.eligible, r.cycle) for r in swept] == [
        (PublishRun.Purpose.SWEEP, PublishRun.Status.DONE, 1, "once")
    ]
    claim = Claim.objects.get(policy=policy, talent=newcomer)
    assert claim.status == S.NOTIFIED and "符合第三条" in claim.decision.explanation
    assert not Claim.objects.filter(talent=too_new).exists()
    assert not Claim.objects.filter(policy=draft_only).exists()
    assert Claim.objects.get(pk=tina_claim.pk).status == S.DECLINED
    assert AuditLog.objects.filter(action="policy.sweep").count() == 1

    call_command("policy_sweep", "--zone", phd.zone.code, "--as-of", AS_OF.isoformat())
    assert Claim.objects.filter(policy=policy).count() == 2  # a second sweep adds nothing
    with pytest.raises(CommandError, match="计算日"):
        call_command("policy_sweep", "--as-of", "2026-13-01")
    with pytest.raises(CommandError, match="园区"):
        call_command("policy_sweep", "--zone", "no-such-zone")
