"""一码归集: the kernel merges every app's sources; pages and API show a talent's timeline to
those who may see her, with links only to what the viewer may open and no unmasked phone."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpark.core import parameters, timeline
from talentpark.core.context import ActionContext
from talentpark.policies import redemption, runs
from talentpark.policies.models import Claim
from talentpark.policies.tests.factories import AS_OF, make_policy, make_version
from talentpark.registry import services
from talentpark.signup.models import PrivacyConsent, PrivacyNotice

UTC = dt.UTC


def ctx(user: Any) -> ActionContext:
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id)


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def test_sources():
    """Two sources registered by a test, never by the timeline's code; removed afterwards."""
    calls: list[tuple[Any, Any]] = []

    def alpha(subject: Any, viewer: Any):
        calls.append((subject, viewer))
        yield timeline.TimelineEvent(at=dt.datetime(2026, 3, 1, tzinfo=UTC), title="甲一")
        yield timeline.TimelineEvent(at=dt.datetime(2026, 1, 1, tzinfo=UTC), title="甲二", url="/a/")

    def beta(subject: Any, viewer: Any):
        yield timeline.TimelineEvent(at=dt.datetime(2026, 2, 1, tzinfo=UTC), title="乙一", detail="说明")
        yield timeline.TimelineEvent(at=dt.datetime(2026, 4, 1, tzinfo=UTC), title="乙二")

    timeline.register_source("t_alpha", "测试甲", alpha)
    timeline.register_source("t_beta", "测试乙", beta, source="testapp")
    yield calls
    timeline.unregister_source("t_alpha")
    timeline.unregister_source("t_beta")


def test_sources_merge_newest_first_and_filter_by_kind(test_sources):
    subject, viewer = object(), object()
    events = timeline.events_for(subject, viewer, kinds=["t_alpha", "t_beta"])
    assert [e.title for e in events] == ["乙二", "甲一", "乙一", "甲二"]
    assert test_sources == [(subject, viewer)]  # each source receives the subject and the viewer
    first = events[1]
    assert (first.kind, first.kind_label, first.source) == ("t_alpha", "测试甲", "registry")
    assert (events[0].kind, events[0].source) == ("t_beta", "testapp")
    assert [e.title for e in timeline.events_for(subject, viewer, kinds=["t_beta", "nonesuch"])] == [
        "乙二",
        "乙一",
    ]
    assert [e.title for e in timeline.events_for(subject, viewer, kinds=["t_alpha", "t_beta"], limit=2)] == [
        "乙二",
        "甲一",
    ]
    assert timeline.known_kinds(["t_beta", "bogus", "t_alpha"]) == ["t_alpha", "t_beta"]
    p2 = timeline.page(subject, viewer, ["t_alpha", "t_beta"], 2, 3)
    assert ([e.title for e in p2.events], p2.count, p2.has_next) == (["甲二"], 4, False)


def test_a_source_giving_a_naive_time_is_refused(test_sources):
    timeline.register_source(
        "t_naive", "测试", lambda s, v: [timeline.TimelineEvent(at=dt.datetime(2026, 1, 1), title="x")]
    )
    try:
        with pytest.raises(ValueError, match="naive"):
            timeline.events_for(None, None, kinds=["t_naive"])
    finally:
        timeline.unregister_source("t_naive")
    with pytest.raises(ValueError):
        timeline.register_source("bad kind!", "x", lambda s, v: [])


# -- the apps' sources on tina's record ------------------------------------------------------


@pytest.fixture
def history(world):
    """Tina's life in the zone: a tier, a profile change (with a new phone), a claim found for her
    and for carol's talent, consent to the privacy notice."""
    talent = world.talent
    person = talent.person
    person.bank_name, person.bank_account = "中国工商银行济宁分行", "6222020200112345679"
    person.save()
    services.set_talent_tier(ctx(world.alice), talent, "B", dt.date(2029, 12, 31))
    talent.refresh_from_db()
    services.update_own_profile(
        ActionContext(user=world.tina, role="talent", zone_id=talent.zone_id),
        talent,
        {"housing": "owned", "phone": "13912345678", "highest_degree": "11"},
        note="已取得博士学位",
    )
    policy = make_policy(world.zone, title="在区就业补贴", approval_levels=1, approvers=[world.housing_dept])
    version = make_version(
        policy,
        clauses=[{"article": "第二条", "text": "在区内企业就业", "expr": "has_employer"}],
        outcome_expr="20000",
    )
    runs.publish(ctx(world.alice), version, AS_OF)
    claim = Claim.objects.get(policy=policy, talent=talent)
    notice = PrivacyNotice.objects.first() or PrivacyNotice.objects.create(
        version="2026.1", title="隐私政策", body="正文" * 20, effective_at=timezone.now()
    )
    PrivacyConsent.objects.create(user=world.tina, notice=notice, accepted_at=timezone.now())
    return {
        "claim": claim,
        "policy": policy,
        "carols_claim": Claim.objects.get(policy=policy, talent=world.carols_talent),
    }


@pytest.mark.django_db
def test_every_app_tells_its_part_newest_first(world, history):
    events = timeline.events_for(world.talent, world.tina)
    kinds = {e.kind for e in events}
    assert {"record", "tier", "profile", "claim", "signup"} <= kinds
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)
    titles = [e.title for e in events]
    assert "人才认定：B类（领军人才）" in titles
    assert any(t.startswith("免申即享：经比对符合《在区就业补贴》") for t in titles)
    assert any(t.startswith("提交档案变更申请：") and "手机号码" in t for t in titles)
    assert "更新档案：住房情况" in titles
    assert any(t.startswith("同意《") and t.endswith("隐私政策》") for t in titles)
    assert titles[-1].startswith("入区：")  # the entry date (a date) is the oldest
    # she is sent to her own pages, never to staff pages
    claim_url = reverse("policies:claim_detail", args=[history["claim"].pk])
    assert claim_url in {e.url for e in events}
    assert not any(e.url.startswith("/registry/talent/") for e in events)
    # the claim moves on: confirmed by her → a newer event at the top of the claim kind
    redemption.confirm_claim(ctx(world.tina), history["claim"], redemption.Confirmation())
    [latest, *_] = timeline.events_for(world.talent, world.tina, kinds=["claim"])
    assert latest.title == "已确认申领《在区就业补贴》，进入审核"


@pytest.mark.django_db
def test_links_follow_what_the_viewer_may_open(world, history):
    claim_url = reverse("policies:claim_detail", args=[history["claim"].pk])
    bob = timeline.events_for(world.talent, world.bob)
    assert claim_url in {e.url for e in bob}  # her specialist opens her claims
    assert reverse("registry:profile_change_list") in {e.url for e in bob}  # and reviews her change
    assert any("操作人" in e.detail for e in bob if e.kind == "claim")  # staff see who acted
    assert not any("操作人" in e.detail for e in timeline.events_for(world.talent, world.tina))
    # dave (住建局) sees carol's talent, but her claim does not wait at his level: no link
    carols_url = reverse("policies:claim_detail", args=[history["carols_claim"].pk])
    dave = [e for e in timeline.events_for(world.carols_talent, world.dave) if e.kind == "claim"]
    alice = [e for e in timeline.events_for(world.carols_talent, world.alice) if e.kind == "claim"]
    assert dave and all(e.url == "" for e in dave)
    assert [e.url for e in alice] == [carols_url] * len(alice)


@pytest.mark.django_db
def test_pages_and_api_never_show_the_new_phone_in_clear(world, history):
    for user, page, api in (
        (world.tina, reverse("registry:timeline"), "/api/registry/timeline"),
        (
            world.bob,
            reverse("registry:talent_timeline", args=[world.talent.pk]),
            f"/api/registry/talents/{world.talent.pk}/timeline",
        ),
    ):
        c = client_for(user)
        for url in (page, api):
            response = c.get(url)
            body = (
                response.content.decode() if url == page else json.dumps(response.json(), ensure_ascii=False)
            )
            assert "13912345678" not in body and "手机号码" in body, url


# -- pages ---------------------------------------------------------------------------------------


def _titles(html: str) -> list[str]:
    return re.findall(r'<li class="tl-event"[^>]*>.*?<b>(.*?)</b>', html, flags=re.S)


@pytest.mark.django_db
def test_the_talent_sees_her_own_timeline_and_the_api_says_the_same(world, history):
    c = client_for(world.tina)
    response = c.get(reverse("registry:timeline"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "我的一码归集" in html and "唐娜" not in _titles(html)
    size = parameters.value("list.page_size")
    api = c.get(f"/api/registry/timeline?page_size={size}").json()
    assert api["talent_id"] == world.talent.pk
    assert _titles(html) == [e["title"] for e in api["items"]]
    assert api["count"] == len(timeline.events_for(world.talent, world.tina))
    # the same for her specialist on the staff page and the talent's endpoint
    b = client_for(world.bob)
    page = b.get(reverse("registry:talent_timeline", args=[world.talent.pk])).content.decode()
    items = b.get(f"/api/registry/talents/{world.talent.pk}/timeline?page_size={size}").json()["items"]
    assert _titles(page) == [e["title"] for e in items]
    assert all(set(e) == {"at", "kind", "kind_label", "title", "detail", "url", "source"} for e in items)


@pytest.mark.django_db
def test_filter_by_kind_works_on_the_page_and_in_the_api(world, history):
    c = client_for(world.bob)
    url = reverse("registry:talent_timeline", args=[world.talent.pk])
    html = c.get(url, {"kind": "claim"}).content.decode()
    kinds = re.findall(r'class="tl-event" data-kind="(\w+)"', html)
    assert kinds and set(kinds) == {"claim"}
    assert 'class="chip on" href="?kind=claim" aria-current="true"' in html
    both = c.get(f"/api/registry/talents/{world.talent.pk}/timeline?kind=claim&kind=tier&kind=bogus").json()
    assert {e["kind"] for e in both["items"]} == {"claim", "tier"}
    assert [k["kind"] for k in both["kinds"]][:3] == ["record", "tier", "profile"]


@pytest.mark.django_db
def test_a_source_registered_later_appears_on_page_and_api(world, test_sources):
    c = client_for(world.tina)
    html = c.get(reverse("registry:timeline")).content.decode()
    assert "乙二" in html and "测试乙" in html  # its chip and its events
    assert 'href="/a/"' in html
    api = c.get("/api/registry/timeline?kind=t_beta").json()
    assert [e["title"] for e in api["items"]] == ["乙二", "乙一"]
    assert api["items"][1]["detail"] == "说明" and api["items"][1]["source"] == "testapp"


@pytest.mark.django_db
def test_load_more_pages_with_and_without_htmx(world, settings):
    settings.TALENTPARK_PARAMETER_TTL = 0

    def many(subject: Any, viewer: Any):
        base = dt.datetime(2026, 5, 1, tzinfo=UTC)
        return [
            timeline.TimelineEvent(at=base + dt.timedelta(hours=i), title=f"第{i:03d}项") for i in range(60)
        ]

    timeline.register_source("t_many", "很多", many)
    try:
        c = client_for(world.tina)
        url = reverse("registry:timeline")
        first = c.get(url, {"kind": "t_many"}).content.decode()
        size = parameters.value("list.page_size")
        assert _titles(first) == [f"第{i:03d}项" for i in range(59, 59 - size, -1)]
        assert 'hx-get="?kind=t_many&amp;page=2"' in first
        partial = c.get(url, {"kind": "t_many", "page": "2"}, headers={"HX-Request": "true"}).content.decode()
        assert "<html" not in partial and 'id="tl-more"' in partial
        assert _titles(partial) == [f"第{i:03d}项" for i in range(59 - size, 59 - 2 * size, -1)]
        full = c.get(url, {"kind": "t_many", "page": "2"}).content.decode()  # no script: the link
        assert "<html" in full and _titles(full) == _titles(partial) and "回到最新" in full
        last = c.get(url, {"kind": "t_many", "page": "999"}).content.decode()
        assert _titles(last) == [] and 'id="tl-more"' not in last
        assert c.get(url, {"page": "abc"}).status_code == 200
    finally:
        timeline.unregister_source("t_many")


@pytest.mark.django_db
def test_scoping_of_pages_and_api(world):
    t, ct, ft = world.talent.pk, world.carols_talent.pk, world.foreign_talent.pk
    cases = {
        # persona: {talent pk: status}
        "alice": {t: 200, ct: 200, ft: 404},  # the office of the zone; another zone's talent is 404
        "bob": {t: 200, ct: 404, ft: 404},  # another specialist's talent is 404
        "carol": {t: 404, ct: 200, ft: 404},
        "dave": {t: 404, ct: 200, ft: 404},
        "tina": {t: 200, ct: 404, ft: 404},  # her own record only
        "erin": {t: 403, ct: 403, ft: 403},  # HR may not see talents' records at all
        "paul": {t: 403, ct: 403, ft: 403},
    }
    for persona, expected in cases.items():
        c = client_for(getattr(world, persona))
        for pk, want in expected.items():
            assert c.get(reverse("registry:talent_timeline", args=[pk])).status_code == want, (persona, pk)
            assert c.get(f"/api/registry/talents/{pk}/timeline").status_code == want, (persona, pk)
    tina = client_for(world.tina)
    for pk in (ct, ft):  # another's record by ?t= is 404, on the page and in the API
        assert tina.get(reverse("registry:timeline"), {"t": pk}).status_code == 404
        assert tina.get("/api/registry/timeline", {"talent": pk}).status_code == 404
    assert tina.get(reverse("registry:timeline"), {"t": t}).status_code == 200
    assert tina.get(reverse("registry:timeline"), {"t": "x"}).status_code == 404
    for persona in ("alice", "bob", "erin"):
        c = client_for(getattr(world, persona))
        assert c.get(reverse("registry:timeline")).status_code == 403
        assert c.get("/api/registry/timeline").status_code == 403


@pytest.mark.django_db
def test_the_talent_page_links_to_her_timeline_and_her_bar_lists_it(world):
    url = reverse("registry:talent_timeline", args=[world.talent.pk])
    assert (
        url
        in client_for(world.bob)
        .get(reverse("registry:talent_detail", args=[world.talent.pk]))
        .content.decode()
    )
    home = client_for(world.tina).get(reverse("accounts:home")).content.decode()
    assert reverse("registry:timeline") in home and "我的一码归集" in home


@pytest.mark.django_db
def test_api_refuses_bad_paging_in_chinese(world):
    body = client_for(world.tina).get("/api/registry/timeline?page=0").content.decode()
    assert "页码" in json.loads(body)["detail"][0]["message"]
