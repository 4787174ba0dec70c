"""Policy redemption pages, by persona: the office's rule workspace and editor, publishing, runs.

Personas (see ``conftest.py``): alice office · bob specialist owning tina · carol another
specialist · dave department handler · erin HR of tina's employer · frank HR elsewhere ·
tina talent · pat partner · amy ambassador · paul province viewer.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from talentpark.core.models import AuditLog
from talentpark.policies.models import Claim, Policy, PolicyVersion, PublishRun
from talentpark.policies.tests.factories import PHD_CLAUSES, make_policy, make_version
from talentpark.policies.tests.pagekit import client_for, editor_post, make_phd

pytestmark = pytest.mark.django_db
OTHERS = ("bob", "dave", "erin", "tina", "pat", "amy", "paul")


def test_the_workspace_and_editor_are_the_office_s(world) -> None:
    policy = make_policy(world.zone)
    version = make_version(policy)
    foreign = make_policy(world.other_zone, title="外区政策")
    alice = client_for(world, "alice")
    for url in (
        reverse("policies:policy_rules", args=[policy.pk]),
        reverse("policies:version_new", args=[policy.pk]),
        reverse("policies:version_edit", args=[version.pk]),
    ):
        page = alice.get(url)
        assert page.status_code == 200, url
        assert "博士安家补贴" in page.content.decode()
        for persona in OTHERS:
            assert client_for(world, persona).get(url).status_code == 403, (persona, url)
    assert alice.get(reverse("policies:policy_rules", args=[foreign.pk])).status_code == 404
    assert alice.get(reverse("policies:version_new", args=[foreign.pk])).status_code == 404


def test_the_policy_page_links_the_office_to_its_rules(world) -> None:
    policy = make_policy(world.zone, status=Policy.Status.PUBLISHED)
    url = reverse("policies:policy_detail", args=[policy.pk])
    assert "规则与兑现" in client_for(world, "alice").get(url).content.decode()
    assert "规则与兑现" not in client_for(world, "tina").get(url).content.decode()


def test_a_new_draft_is_prefilled_from_the_current_rule(world) -> None:
    policy = make_policy(world.zone)
    make_version(policy, status=PolicyVersion.Status.PUBLISHED, note="首版")
    html = client_for(world, "alice").get(reverse("policies:version_new", args=[policy.pk])).content.decode()
    assert "degree_level &gt;= 4" in html and "第五条" in html
    # the field catalogue sits beside the editor: names, labels, types and choices
    assert "years_in_zone" in html and "入区年限" in html and "整数" in html and "博士后" in html


def test_the_editor_saves_a_draft_with_one_audit_row(world) -> None:
    policy = make_policy(world.zone)
    alice = client_for(world, "alice")
    response = alice.post(reverse("policies:version_new", args=[policy.pk]), editor_post(note="首版"))
    version = PolicyVersion.objects.get(policy=policy)
    assert response.status_code == 302 and response["Location"] == reverse(
        "policies:version_edit", args=[version.pk]
    )
    assert (
        version.status == PolicyVersion.Status.DRAFT and len(version.clauses) == 3 and version.note == "首版"
    )
    # editing the draft keeps its number
    alice.post(reverse("policies:version_edit", args=[version.pk]), editor_post(outcome_expr="120000"))
    version.refresh_from_db()
    assert (version.number, version.outcome_expr) == (1, "120000")
    assert AuditLog.objects.filter(action="policy.version.save").count() == 2


def test_bad_cel_shows_the_chinese_message_at_its_clause_and_saves_nothing(world) -> None:
    policy = make_policy(world.zone)
    data = editor_post()
    data["expr"] = ["has_employer", "degre >= 4", "years_in_zone >= "]
    data["article"] = ["第二条", "三", "第五条"]
    response = client_for(world, "alice").post(reverse("policies:version_new", args=[policy.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "应写作“第三条”这样的条文序号" in html
    assert "未保存任何内容" in html
    assert not PolicyVersion.objects.filter(policy=policy).exists()
    # with the article fixed, the compiler's messages (with line and column) reach the fields
    data["article"] = ["第二条", "第三条", "第五条"]
    html = (
        client_for(world, "alice")
        .post(reverse("policies:version_new", args=[policy.pk]), data)
        .content.decode()
    )
    assert "degre" in html and "第1行" in html
    assert not PolicyVersion.objects.filter(policy=policy).exists()


def test_rows_are_added_and_removed_without_saving(world) -> None:
    policy = make_policy(world.zone)
    url = reverse("policies:version_new", args=[policy.pk])
    alice = client_for(world, "alice")
    added = alice.post(url, {**editor_post(), "op": "add"}, headers={"HX-Request": "true"})
    assert added.status_code == 200 and added.content.decode().count('name="expr"') == 4
    assert "rules-changed" in added["HX-Trigger-After-Settle"]
    removed = alice.post(url, {**editor_post(), "op": "remove-0"})
    html = removed.content.decode()
    assert (
        html.count('name="expr"') == 2
        and "has_employer" not in html.split('id="clauses"')[1].split("</table>")[0]
    )
    assert not PolicyVersion.objects.filter(policy=policy).exists()


def test_the_live_preview_counts_who_qualifies_and_what_stops_the_others(world) -> None:
    make_phd(world)
    policy = make_policy(world.zone)
    alice = client_for(world, "alice")
    html = alice.post(reverse("policies:rule_preview", args=[policy.pk]), editor_post()).content.decode()
    assert "符合条件" in html and "唐娜" in html
    assert reverse("registry:talent_detail", args=[world.talent.pk]) in html
    assert "100000" in html and "占预算" in html
    # Carol's talent is a bachelor: she fails only the degree clause
    assert "最常卡住的条件：第三条" in html
    bad = editor_post()
    bad["expr"] = ["has_employer", "degre >= 4", "years_in_zone >= 1"]
    html = alice.post(reverse("policies:rule_preview", args=[policy.pk]), bad).content.decode()
    assert "规则有误" in html and "degre" in html and "第1行" in html
    assert (
        client_for(world, "dave").post(reverse("policies:rule_preview", args=[policy.pk]), bad).status_code
        == 403
    )


def test_the_preview_shows_the_tier_distribution_of_a_certification(world) -> None:
    make_phd(world)
    policy = make_policy(
        world.zone, category=Policy.Category.CERTIFICATION, title="人才认定", budget_total=None
    )
    data = editor_post(outcome_kind="tier", outcome_expr='degree_level >= 4 ? "C" : "E"')
    html = (
        client_for(world, "alice")
        .post(reverse("policies:rule_preview", args=[policy.pk]), data)
        .content.decode()
    )
    assert "层次分布" in html and "C 类：1" in html


def test_publishing_asks_first_then_shows_the_run_until_done(world) -> None:
    make_phd(world)
    policy = make_policy(world.zone)
    version = make_version(policy)
    alice = client_for(world, "alice")
    editor = alice.get(reverse("policies:version_edit", args=[version.pk])).content.decode()
    assert "hx-confirm" in editor and "发布并开始兑现" in editor
    response = alice.post(
        reverse("policies:version_publish", args=[version.pk]),
        {"as_of": "2026-11-02"},
        headers={"HX-Request": "true"},
    )
    run = PublishRun.objects.get(version=version)
    assert response["HX-Redirect"] == reverse("policies:run_detail", args=[run.pk])
    page = alice.get(response["HX-Redirect"]).content.decode()
    assert "已完成" in page and "hx-trigger" not in page.split('id="run-progress"')[1][:200]
    progress = alice.get(reverse("policies:run_progress", args=[run.pk])).content.decode()
    assert "符合条件并已推送" in progress and ">1<" in progress
    assert Claim.objects.filter(policy=policy, talent=world.talent).exists()
    for persona in ("dave", "tina"):
        assert (
            client_for(world, persona).get(reverse("policies:run_detail", args=[run.pk])).status_code == 403
        )


def test_publishing_a_bad_date_or_twice_is_a_message(world) -> None:
    policy = make_policy(world.zone)
    version = make_version(policy, valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 6, 30))
    alice = client_for(world, "alice")
    url = reverse("policies:version_publish", args=[version.pk])
    html = alice.post(url, {"as_of": "2026-11-02"}, headers={"HX-Request": "true"}).content.decode()
    assert "不在本版本适用期内" in html and 'id="publish-box"' in html
    page = alice.post(url, {"as_of": "明天"})
    assert page.status_code == 400 and "计算日：日期格式应为YYYY-MM-DD" in page.content.decode()
    assert not PublishRun.objects.exists()
    version.refresh_from_db()
    assert version.status == PolicyVersion.Status.DRAFT


def test_a_monthly_policy_starts_its_cycle_from_the_workspace(world) -> None:
    make_phd(world)
    policy = make_policy(world.zone, recurrence=Policy.Recurrence.MONTHLY, approval_levels=1)
    make_version(policy, status=PolicyVersion.Status.PUBLISHED, clauses=PHD_CLAUSES)
    alice = client_for(world, "alice")
    page = alice.get(reverse("policies:policy_rules", args=[policy.pk])).content.decode()
    assert "启动本期复核" in page
    bad = alice.post(reverse("policies:policy_cycle", args=[policy.pk]), {"as_of": "2026-13-01"})
    assert bad.status_code == 400 and "计算日：" in bad.content.decode()
    response = alice.post(reverse("policies:policy_cycle", args=[policy.pk]), {"as_of": "2026-11-02"})
    run = PublishRun.objects.get(version__policy=policy)
    assert response["Location"] == reverse("policies:run_detail", args=[run.pk])
    assert run.cycle == "2026-11"
    once = make_policy(world.zone, title="一次性补贴")
    html = alice.post(
        reverse("policies:policy_cycle", args=[once.pk]), {"as_of": "2026-11-02"}
    ).content.decode()
    assert "一次性政策没有周期复核" in html


def test_nobody_but_the_office_saves_or_publishes(world) -> None:
    policy = make_policy(world.zone)
    version = make_version(policy)
    for persona in OTHERS:
        c: Client = client_for(world, persona)
        assert c.post(reverse("policies:version_new", args=[policy.pk]), editor_post()).status_code == 403
        assert (
            c.post(
                reverse("policies:version_publish", args=[version.pk]), {"as_of": "2026-11-02"}
            ).status_code
            == 403
        )
        assert (
            c.post(reverse("policies:policy_cycle", args=[policy.pk]), {"as_of": "2026-11-02"}).status_code
            == 403
        )
    assert PolicyVersion.objects.filter(policy=policy).count() == 1
