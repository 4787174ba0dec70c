"""A partner window verifies a talent's code and records a service: consent, replay, revocation,
rate limit, scan log, timeline (the guarantees in ``talentcode.services``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from talentpark.core import timeline
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog, Notice, PIIAccessLog
from talentpark.core.tests.threads import race
from talentpark.registry.models import Talent
from talentpark.talentcode import services, tokens
from talentpark.talentcode.models import (
    GreenService,
    IssuedToken,
    Partner,
    PartnerAccount,
    PartnerWindow,
    Scan,
    ServiceRecord,
)


@pytest.fixture
def desk(world):
    """Pat works the 人才专窗 of a hospital offering two services; tina's talent is tier B."""
    zone = world.zone
    hospital = Partner.objects.create(zone=zone, name="测试区人民医院", kind=Partner.Kind.HOSPITAL)
    window = PartnerWindow.objects.create(zone=zone, partner=hospital, name="门诊人才专窗")
    PartnerAccount.objects.create(zone=zone, user=world.pat, partner=hospital, window=window)
    green = GreenService.objects.create(zone=zone, partner=hospital, name="优先挂号", tiers="ABC")
    checkup = GreenService.objects.create(
        zone=zone, partner=hospital, name="年度健康体检", tiers="AB", per_year=1
    )
    top = GreenService.objects.create(zone=zone, partner=hospital, name="专家会诊", tiers="A")
    Talent.objects.filter(pk=world.talent.pk).update(tier="B", tier_valid_until=dt.date(2030, 12, 31))
    world.talent.refresh_from_db()
    return {"hospital": hospital, "window": window, "green": green, "checkup": checkup, "top": top}


def ctx(user):
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id)


def consent(world, fields=("tier", "name")):
    return services.set_consent(ctx(world.tina), world.talent, Partner.Kind.HOSPITAL, list(fields))


@pytest.mark.django_db
def test_without_consent_a_partner_sees_only_validity(world, desk):
    issued = services.current_token(world.talent)
    result = services.verify(ctx(world.pat), world.pat, issued.token)
    assert result.valid and not result.consented
    assert result.tier == "" and result.shown == {} and result.offers == []
    assert Scan.objects.get().outcome == "valid" and Scan.objects.get().fields_shown == ""
    assert not PIIAccessLog.objects.exists()
    with pytest.raises(services.Refused) as refused:
        services.record_service(ctx(world.pat), world.pat, result.scan, desk["green"])
    assert refused.value.code == "consent"


@pytest.mark.django_db
def test_consented_fields_are_shown_logged_and_withdrawal_leaves_validity(world, desk):
    consent(world)
    issued = services.current_token(world.talent)
    result = services.verify(ctx(world.pat), world.pat, issued.short_code)  # typed at the counter
    assert result.valid and result.tier == "B" and result.tier_until == dt.date(2030, 12, 31)
    assert result.shown == {"姓名": "唐娜"}
    entitled = {o.service.name: o.entitled for o in result.offers}
    assert entitled == {"优先挂号": True, "年度健康体检": True, "专家会诊": False}
    log = PIIAccessLog.objects.get()
    assert (log.actor, log.subject_id, log.field, log.granted) == (
        world.pat,
        str(world.talent.pk),
        "name",
        True,
    )
    assert Scan.objects.get().method == Scan.Method.SHORT_CODE

    services.set_consent(ctx(world.tina), world.talent, Partner.Kind.HOSPITAL, [])  # withdrawn
    again = services.verify(ctx(world.pat), world.pat, issued.token)
    assert again.valid and not again.consented and again.shown == {} and again.tier == ""
    assert PIIAccessLog.objects.count() == 1
    assert AuditLog.objects.filter(action="talentcode.consent.withdraw").count() == 1


@pytest.mark.django_db
def test_a_recorded_service_is_on_her_timeline_and_in_her_inbox_at_once(world, desk):
    consent(world)
    result = services.verify(ctx(world.pat), world.pat, services.current_token(world.talent).token)
    services.record_service(ctx(world.pat), world.pat, result.scan, desk["green"])
    events = timeline.events_for(world.talent, world.tina, ["talentcode"])
    assert [e.title for e in events] == ["合作窗口服务：优先挂号"]
    assert "测试区人民医院" in events[0].detail
    assert Notice.objects.filter(recipient=world.tina, kind=services.NOTICE_KIND).count() == 1
    assert AuditLog.objects.filter(action="talentcode.service.record").count() == 1


@pytest.mark.django_db
def test_the_same_token_gives_the_same_service_once(world, desk):
    consent(world)
    issued = services.current_token(world.talent)
    first = services.verify(ctx(world.pat), world.pat, issued.token)
    services.record_service(ctx(world.pat), world.pat, first.scan, desk["green"])
    second = services.verify(ctx(world.pat), world.pat, issued.token)  # the screenshot, again
    assert [o.used for o in second.offers if o.service == desk["green"]] == [True]
    with pytest.raises(services.Refused) as refused:
        services.record_service(ctx(world.pat), world.pat, second.scan, desk["green"])
    assert (refused.value.code, refused.value.status) == ("replay", 409)
    services.record_service(ctx(world.pat), world.pat, second.scan, desk["checkup"])  # another service: fine
    assert ServiceRecord.objects.count() == 2


@pytest.mark.django_db
def test_yearly_cap_and_tier(world, desk):
    consent(world)
    one = services.verify(ctx(world.pat), world.pat, services.current_token(world.talent).token)
    with pytest.raises(services.Refused) as refused:
        services.record_service(ctx(world.pat), world.pat, one.scan, desk["top"])
    assert refused.value.code == "not_entitled" and "A类" in refused.value.message
    services.record_service(ctx(world.pat), world.pat, one.scan, desk["checkup"])
    IssuedToken.objects.update(expires_at=timezone.now())  # her page moves on to a new token
    two = services.verify(ctx(world.pat), world.pat, services.current_token(world.talent).token)
    assert two.scan.cti != one.scan.cti
    assert [o.entitled for o in two.offers if o.service == desk["checkup"]] == [False]


@pytest.mark.django_db
def test_revoked_code_left_talent_other_zone_and_garbage_are_invalid_and_logged(world, desk):
    issued = services.current_token(world.talent)
    assert not services.verify(ctx(world.pat), world.pat, "12345678").valid  # no such short code
    assert not services.verify(ctx(world.pat), world.pat, issued.token[:-3] + "AAA").valid
    services.revoke_code(ctx(world.alice), issued.code, "手机遗失")
    refused = services.verify(ctx(world.pat), world.pat, issued.token)
    assert not refused.valid and refused.message == "人才码已停用"
    with pytest.raises(services.Refused):
        services.current_token(world.talent)
    code = services.reinstate_code(ctx(world.alice), issued.code)
    Talent.objects.filter(pk=world.talent.pk).update(status=Talent.Status.LEFT)
    world.talent.refresh_from_db()
    left = services.verify(ctx(world.pat), world.pat, services.current_token(world.talent).token)
    assert not left.valid and "离区" in left.message
    foreign = services.current_token(world.foreign_talent)
    assert services.verify(ctx(world.pat), world.pat, foreign.token).scan.outcome == "other_zone"
    assert Scan.objects.count() == 5 and Scan.objects.filter(outcome="valid").count() == 0
    assert code.code_id != issued.code.code_id


@pytest.mark.django_db
def test_scans_are_rate_limited_per_account(world, desk, settings):
    settings.TALENTPARK_TALENTCODE_SCAN_LIMIT = 3
    issued = services.current_token(world.talent)
    for _ in range(3):
        services.verify(ctx(world.pat), world.pat, issued.token)
    with pytest.raises(services.Refused) as refused:
        services.verify(ctx(world.pat), world.pat, issued.token)
    assert refused.value.status == 429
    assert Scan.objects.filter(outcome="rate_limited").count() == 1


@pytest.mark.django_db
def test_token_is_reused_until_a_minute_is_left_and_carries_no_personal_data(world, desk):
    now = timezone.now()
    first = services.current_token(world.talent, now=now)
    assert services.current_token(world.talent, now=now + dt.timedelta(seconds=100)) == first
    fresh = services.current_token(world.talent, now=now + dt.timedelta(seconds=250))
    assert fresh != first and fresh.short_code != first.short_code
    claims = tokens.decode_claims(fresh.token)
    assert claims[tokens.CLAIM_TIER] == "B" and "唐娜" not in str(claims)


@pytest.mark.django_db
def test_a_talent_without_tier_consent_cannot_be_partly_consented(world, desk):
    made = consent(world, fields=("name",))
    assert made.fields == ["tier", "name"]
    with pytest.raises(services.Refused):
        consent(world, fields=("id_number",))


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_scans_record_one_service(world, desk):
    consent(world)
    issued = services.current_token(world.talent)
    scans = [services.verify(ctx(world.pat), world.pat, issued.token).scan for _ in range(2)]

    def grab(i):
        return services.record_service(ctx(world.pat), world.pat, scans[i], desk["green"])

    results = race(2, grab)
    done = [r for r in results if isinstance(r, ServiceRecord)]
    refused = [r for r in results if isinstance(r, services.Refused)]
    assert len(done) == 1 and len(refused) == 1 and refused[0].code == "replay", (results, connection.vendor)
    assert ServiceRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_yearly_cap_holds_when_two_tokens_record_at_once(world, desk):
    """年度健康体检 is once a year: two windows recording it at the same moment with two different
    tokens of hers (no replay constraint between them) still give it once — her code row is locked."""
    consent(world)
    first = services.verify(ctx(world.pat), world.pat, services.current_token(world.talent).token).scan
    IssuedToken.objects.update(expires_at=timezone.now())  # her page moves on to a new token
    second = services.verify(ctx(world.pat), world.pat, services.current_token(world.talent).token).scan
    assert first.cti != second.cti and first.valid and second.valid

    def grab(i):
        return services.record_service(ctx(world.pat), world.pat, (first, second)[i], desk["checkup"])

    results = race(2, grab)
    done = [r for r in results if isinstance(r, ServiceRecord)]
    refused = [r for r in results if isinstance(r, services.Refused)]
    assert len(done) == 1 and [r.code for r in refused] == ["not_entitled"], (results, connection.vendor)
    assert ServiceRecord.objects.filter(service=desk["checkup"]).count() == 1


# -- the pages -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_talent_page_partner_page_and_one_tap(world, desk):
    tina, pat = Client(), Client()
    tina.force_login(world.tina)
    pat.force_login(world.pat)
    page = tina.get("/talentcode/").content.decode()
    assert "<svg" in page and "数字码" in page and "B类" in page
    assert tina.post("/talentcode/consent/", {"kind": "hospital", "fields": ["tier"]}).status_code == 302
    short = services.current_token(world.talent).short_code
    scanned = pat.post("/talentcode/scan/", {"code": short, "window": desk["window"].pk})
    assert scanned.status_code == 200 and "人才码有效" in scanned.content.decode()
    scan = Scan.objects.get()
    done = pat.post(f"/talentcode/scan/{scan.pk}/record/", {"service": desk["green"].pk})
    assert done.status_code == 302
    assert "合作窗口服务：优先挂号" in tina.get("/registry/timeline/?kind=talentcode").content.decode()
    # bad input: a foreign window, a service of nobody's, another partner's scan → clear refusals
    bad = pat.post("/talentcode/scan/", {"code": short, "window": 999999})
    assert bad.status_code == 400 and "办理窗口" in bad.content.decode()
    assert pat.post(f"/talentcode/scan/{scan.pk}/record/", {"service": "x"}).status_code == 302
    assert ServiceRecord.objects.count() == 1
    assert tina.get("/talentcode/scan/").status_code == 403
    assert pat.get("/talentcode/").status_code == 403


@pytest.mark.django_db
def test_the_nightly_job_prunes_tokens_expired_over_a_day_and_keeps_the_rest(world, desk):
    import importlib

    from django.apps import apps

    from talentpark.core import scheduling
    from talentpark.core.models import ScheduledJob
    from talentpark.talentcode import schedule

    live = services.current_token(world.talent)
    scan = services.verify(ctx(world.pat), world.pat, live.token).scan
    IssuedToken.objects.filter(pk=live.pk).update(expires_at=timezone.now() - dt.timedelta(days=2))
    fresh = services.current_token(world.carols_talent)
    recent = services.current_token(world.foreign_talent)
    IssuedToken.objects.filter(pk=recent.pk).update(expires_at=timezone.now() - dt.timedelta(hours=2))
    assert schedule.prune_tokens() == "删除过期令牌 1 个"
    assert set(IssuedToken.objects.values_list("pk", flat=True)) == {fresh.pk, recent.pk}
    assert Scan.objects.get(pk=scan.pk).cti == live.cti  # the scan keeps the token's id
    migration = importlib.import_module("talentpark.talentcode.migrations.0003_prune_tokens_job")
    ScheduledJob.objects.filter(kind=schedule.JOB_KIND).delete()
    migration.create_jobs(apps, None)
    migration.create_jobs(apps, None)  # idempotent
    job = ScheduledJob.objects.get(kind=schedule.JOB_KIND)
    assert job.cron == "45 3 * * *" and job.enabled and scheduling.get_kind(schedule.JOB_KIND)
