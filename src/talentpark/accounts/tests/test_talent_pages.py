"""A talent's own pages are hers: her navigation, her profile, her password, her benefit cards.

Personas (see conftest): tina talent (唐娜, record owned by bob) · alice office · bob specialist.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpark.accounts.models import User
from talentpark.core.codes import Degree
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog
from talentpark.policies import runs
from talentpark.policies.models import Claim, Decision, Policy, PolicyVersion
from talentpark.policies.tests.factories import AS_OF, make_policy, make_version
from talentpark.policies.tests.pagekit import make_phd
from talentpark.registry.models import ProfileChange, Talent
from talentpark.registry.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STAFF_REGISTRIES = ("人才库", "企业库", "平台库", "项目库", "产业链", "讲师库", "操作日志")


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _nav(html: str) -> str:
    m = re.search(r'<nav class="nav[^"]*"[^>]*>(.*?)</nav>', html, re.S)
    assert m, "no navigation on the page"
    return m.group(1)


def test_a_talent_gets_a_talents_navigation_and_staff_get_grouped_menus(world) -> None:
    nav = _nav(_client(world.tina).get("/").content.decode())
    for label in ("我的档案", "政策", "我的兑现", "岗位", "修改密码"):
        assert label in nav, label
    for label in STAFF_REGISTRIES:
        assert label not in nav, label
    staff = _nav(_client(world.alice).get("/").content.decode())
    assert '<details class="navgroup">' in staff
    for label in ("一网四库", "政策兑现", "系统管理", "人才库", "操作日志", "档案变更审核"):
        assert label in staff, label
    assert "我的档案" not in staff


@pytest.mark.django_db(transaction=True)
def test_a_talents_lists_offer_no_export(world) -> None:
    listing = reverse("policies:policy_list")
    export = reverse("policies:policy_export")
    tina = _client(world.tina)
    assert "导出" not in tina.get(listing).content.decode()
    assert tina.post(export, {"format": "csv"}).status_code == 403
    alice = _client(world.alice)
    assert "导出当前筛选结果" in alice.get(listing).content.decode()
    assert alice.post(export, {"format": "csv"}).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_she_sees_and_edits_her_own_profile(world) -> None:
    tina = _client(world.tina)
    page = tina.get(reverse("registry:profile"))
    html = page.content.decode()
    assert page.status_code == 200 and "唐娜" in html and "我的档案" in html
    phone = world.talent.person.phone.plaintext_for_processing()
    assert phone not in html and world.talent.person.id_number.plaintext_for_processing() not in html
    response = tina.post(
        reverse("registry:profile"),
        {"talent": world.talent.pk, "email": "tn@example.com", "highest_degree": Degree.BOSHI, "phone": ""},
    )
    assert response.status_code == 302
    talent = Talent.objects.select_related("person").get(pk=world.talent.pk)
    assert talent.person.email == "tn@example.com"
    assert talent.person.highest_degree != Degree.BOSHI  # waits for the office
    assert talent.person.phone.plaintext_for_processing() == phone  # blank phone keeps the current one
    change = ProfileChange.objects.get(talent=talent)
    assert change.changes == {"highest_degree": Degree.BOSHI}
    html = tina.get(reverse("registry:profile")).content.decode()
    assert "待人才办审核的变更" in html and "博士研究生" in html
    bad = tina.post(reverse("registry:profile"), {"talent": world.talent.pk, "email": "oops"})
    assert bad.status_code == 400 and "电子邮箱：格式不正确" in bad.content.decode()
    # staff have no 我的档案; another talent cannot reach tina's record
    assert _client(world.bob).get(reverse("registry:profile")).status_code == 403
    other = UserFactory(username="tom", role="talent", zone=None)
    world.carols_talent.person.user = other
    world.carols_talent.person.save(update_fields=["user"])
    assert _client(other).get(reverse("registry:profile"), {"t": world.talent.pk}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_she_changes_her_password_under_the_validators(world) -> None:
    tina = _client(world.tina)
    form = tina.get(reverse("accounts:password_change"))
    assert form.status_code == 200 and "修改密码" in form.content.decode()
    short = tina.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "abc12", "new_password2": "abc12"},
    )
    html = short.content.decode()
    assert short.status_code == 200 and "新密码：" in html and "密码太短：至少需要10个字符" in html
    wrong = tina.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "Qz-7fresh-Harbour", "new_password2": "Qz-7fresh-Harbour"},
    )
    assert "原密码：" in wrong.content.decode()
    assert User.objects.get(pk=world.tina.pk).check_password(PASSWORD)
    done = tina.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Qz-7fresh-Harbour",
            "new_password2": "Qz-7fresh-Harbour",
        },
    )
    assert done.status_code == 302
    assert User.objects.get(pk=world.tina.pk).check_password("Qz-7fresh-Harbour")
    assert (
        AuditLog.objects.filter(action="account.password_change", object_id=str(world.tina.pk)).count() == 1
    )
    assert tina.get("/").status_code == 200  # still signed in


def _claim(
    world: Any, *, title: str, tier: str = "", cycle: str = "once", amount: str = "0", **policy: Any
) -> Claim:
    """A claim waiting for tina (待确认), as a publish run would have left it."""
    p = make_policy(world.zone, title=title, **policy)
    kind = PolicyVersion.OutcomeKind.TIER if tier else PolicyVersion.OutcomeKind.AMOUNT
    v = make_version(p, outcome_kind=kind, outcome_expr=f'"{tier}"' if tier else amount)
    d = Decision.objects.create(
        zone=world.zone,
        policy=p,
        version=v,
        talent=world.talent,
        cycle=cycle,
        as_of=AS_OF,
        eligible=True,
        amount=None if tier else decimal.Decimal(amount),
        tier=tier,
        inputs={},
        clauses={"clauses": []},
        explanation="符合第二条：在区内企业就业",
    )
    return Claim.objects.create(
        zone=world.zone,
        policy=p,
        version=v,
        decision=d,
        talent=world.talent,
        cycle=cycle,
        status=Claim.Status.NOTIFIED,
        amount=decimal.Decimal(amount),
        tier=tier,
    )


@pytest.mark.django_db(transaction=True)  # the home is cached until a change commits
def test_a_valid_b_is_never_urged_to_apply_for_c_and_sees_her_tier(world) -> None:
    today = timezone.localdate()
    world.talent.tier, world.talent.tier_valid_until = "B", today + dt.timedelta(days=300)
    world.talent.save()
    _claim(world, title="C类人才认定", tier="C", category=Policy.Category.CERTIFICATION)
    _claim(world, title="A类人才认定", tier="A", category=Policy.Category.CERTIFICATION)
    html = _client(world.tina).get("/").content.decode()
    assert "B类（领军人才）" in html
    assert "C类人才认定" not in html  # not urged to step down
    assert "A类人才认定" in html  # a higher tier is still offered
    # once her B has expired, she is shown as such and C is offered
    world.talent.tier_valid_until = today - dt.timedelta(days=1)
    world.talent.save()
    html = _client(world.tina).get("/").content.decode()
    assert "C类人才认定" in html
    assert "原 B 类认定已于" in html and "B类（领军人才）" not in html


def test_recurring_benefits_show_their_period_on_the_card(world) -> None:
    claim = _claim(
        world,
        title="青年人才生活补贴",
        cycle="2026-11",
        amount="2000",
        recurrence=Policy.Recurrence.MONTHLY,
    )
    home = _client(world.tina).get("/").content.decode()
    card = home[home.index("青年人才生活补贴") :][:600]
    assert "按月" in card and "2026年11月" in card and "2000.00 元" in card
    page = _client(world.tina).get(reverse("policies:claim_detail", args=[claim.pk])).content.decode()
    assert "2026年11月" in page and ">2026-11<" not in page


def test_non_cash_benefits_never_say_zero_yuan(world) -> None:
    make_phd(world)
    p = make_policy(world.zone, title="博士人才公寓优先", category=Policy.Category.HOUSING, budget_total=None)
    v = make_version(
        p, outcome_kind=PolicyVersion.OutcomeKind.NONE, outcome_expr="", benefit="可优先申请人才公寓"
    )
    runs.publish(ActionContext(user=world.alice, role="office", zone_id=world.zone.pk), v, AS_OF)
    claim = Claim.objects.get(policy=p, talent=world.talent)
    home = _client(world.tina).get("/").content.decode()
    page = _client(world.tina).get(reverse("policies:claim_detail", args=[claim.pk])).content.decode()
    for html in (home, page):
        assert "可优先申请人才公寓" in html
        assert "0.00 元" not in html and "0 元" not in html


def test_evidence_shows_labels_not_codes(world) -> None:
    Talent.objects.filter(pk=world.talent.pk).update(professional_title="2")  # 副高级
    make_phd(world)
    p = make_policy(world.zone, title="高级职称津贴")
    clauses = [
        {"article": "第三条", "text": "具有副高级及以上职称", "expr": "title_level >= 3 && degree_level >= 4"}
    ]
    v = make_version(p, clauses=clauses, outcome_expr="5000")
    runs.publish(ActionContext(user=world.alice, role="office", zone_id=world.zone.pk), v, AS_OF)
    claim = Claim.objects.get(policy=p, talent=world.talent)
    html = _client(world.tina).get(reverse("policies:claim_detail", args=[claim.pk])).content.decode()
    assert "职称等级：副高级" in html and "学历等级：博士" in html
    assert "职称等级：3" not in html and "学历等级：4" not in html
