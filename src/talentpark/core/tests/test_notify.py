"""站内信 and notifications: one notify() for every app, the inbox, channels and preferences."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpark.core import notify
from talentpark.core.context import ActionContext
from talentpark.core.models import Notice, NoticeDelivery, NoticePreference, PIIAccessLog
from talentpark.policies import redemption, runs
from talentpark.policies.models import Claim
from talentpark.policies.tests.factories import AS_OF, make_policy, make_version
from talentpark.policies.tests.pagekit import make_phd

pytestmark = pytest.mark.django_db(transaction=True)  # deliveries are sent after the commit


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_notice_reaches_each_user_once_and_rolls_back_with_its_change(world) -> None:
    assert (
        notify.notify("system", "  系统  将于今晚维护 ", [world.alice.pk, world.bob.pk, world.alice.pk]) == 2
    )
    assert sorted(Notice.objects.values_list("recipient__username", "text")) == [
        ("alice", "系统 将于今晚维护"),
        ("bob", "系统 将于今晚维护"),
    ]
    with pytest.raises(RuntimeError), transaction.atomic():
        notify.notify("system", "回滚的通知", [world.alice.pk])
        raise RuntimeError
    assert not Notice.objects.filter(text="回滚的通知").exists()


def test_bad_notices_are_programming_errors(world) -> None:
    with pytest.raises(LookupError):
        notify.notify("no.such.kind", "文本", [world.alice.pk])
    with pytest.raises(ValueError, match="inside the product"):
        notify.notify("system", "文本", [world.alice.pk], link="https://evil.example/")
    with pytest.raises(ValueError, match="text"):
        notify.notify("system", "   ", [world.alice.pk])
    assert not Notice.objects.exists()


def test_a_claim_notice_goes_by_sms_masked_and_the_phone_read_is_logged(world, capsys) -> None:
    phone = world.talent.person.phone.plaintext_for_processing()
    make_phd(world)
    v = make_version(make_policy(world.zone, title="博士安家补贴"))
    runs.publish(ActionContext(user=world.alice, role="office", zone_id=world.zone.pk), v, AS_OF)
    notice = Notice.objects.get(recipient=world.tina)
    assert "《博士安家补贴》" in notice.text and "请登录确认" in notice.text
    claim = Claim.objects.get(talent=world.talent)
    assert notice.link == reverse("policies:claim_detail", args=[claim.pk])
    delivery = NoticeDelivery.objects.get(notice=notice)
    assert (delivery.channel, delivery.status) == ("sms", NoticeDelivery.Status.SENT)
    out = capsys.readouterr().out
    assert "[短信]" in out and phone not in out and phone[-4:] in out
    log = PIIAccessLog.objects.get(field="phone", reason="发送短信通知")
    assert log.subject_id == str(world.talent.person.pk) and log.granted


def test_her_preference_turns_sms_off_and_e_mail_on(world) -> None:
    world.tina.email = "tina@example.com"
    world.tina.save()
    notify.set_preferences(world.tina, {("policy.claim", "email")})
    make_phd(world)
    v = make_version(make_policy(world.zone, title="博士安家补贴"))
    runs.publish(ActionContext(user=world.alice, role="office", zone_id=world.zone.pk), v, AS_OF)
    channels = set(
        NoticeDelivery.objects.filter(notice__recipient=world.tina).values_list("channel", flat=True)
    )
    assert channels == {"email"}
    from django.core import mail

    assert len(mail.outbox) == 1 and "博士安家补贴" in mail.outbox[0].body
    assert mail.outbox[0].subject == "【人才服务平台】政策兑现"


def test_a_delivery_is_sent_at_most_once_and_a_failure_is_recorded(world, settings, capsys) -> None:
    notify.register_kind("test.sms", "测试短信", channels=("sms",))
    notify.notify("test.sms", "第一条", [world.tina.pk])  # sent after the commit
    first = NoticeDelivery.objects.get(notice__text="第一条")
    assert first.status == NoticeDelivery.Status.SENT
    assert notify.deliver([first.pk]) == 0  # a second worker finds it claimed
    assert capsys.readouterr().out.count("第一条") == 1
    settings.TALENTPARK_NOTIFY_BACKENDS = {**settings.TALENTPARK_NOTIFY_BACKENDS, "sms": f"{__name__}.Broken"}
    notify.notify("test.sms", "第二条", [world.tina.pk, world.alice.pk])
    failed = NoticeDelivery.objects.get(notice__text="第二条", notice__recipient=world.tina)
    assert failed.status == NoticeDelivery.Status.FAILED and "网关超时" in failed.error
    no_phone = NoticeDelivery.objects.get(notice__text="第二条", notice__recipient=world.alice)
    assert no_phone.status == NoticeDelivery.Status.NO_ADDRESS  # staff have no phone on file


class Broken:
    def send(self, address: str, notice: Notice) -> None:
        raise ConnectionError("短信网关超时")


def test_the_inbox_shows_her_own_live_notices_and_reads_them(world) -> None:
    notify.notify("system", "给唐娜的消息", [world.tina.pk], link=reverse("policies:claim_list"))
    notify.notify("announcement", "园区公告", [world.tina.pk])
    notify.notify("system", "已过期", [world.tina.pk], expires_at=timezone.now() - dt.timedelta(minutes=1))
    notify.notify("system", "给爱丽丝的消息", [world.alice.pk])
    tina = _client(world.tina)
    page = tina.get(reverse("core:inbox")).content.decode()
    assert "给唐娜的消息" in page and "园区公告" in page
    assert "已过期" not in page and "给爱丽丝的消息" not in page
    assert 'class="count">2<' in page  # the badge in the top bar
    filtered = tina.get(reverse("core:inbox"), {"kind": "announcement"}).content.decode()
    assert "园区公告" in filtered and "给唐娜的消息" not in filtered
    hers = Notice.objects.get(text="给唐娜的消息")
    opened = tina.get(reverse("core:inbox_open", args=[hers.pk]))
    assert opened.status_code == 302 and opened.url == reverse("policies:claim_list")
    hers.refresh_from_db()
    assert hers.read_at is not None
    unread = tina.get(reverse("core:inbox"), {"unread": "1"}).content.decode()
    assert "给唐娜的消息" not in unread and "园区公告" in unread
    alices = Notice.objects.get(text="给爱丽丝的消息")
    assert tina.get(reverse("core:inbox_open", args=[alices.pk])).status_code == 404
    assert f'name="id" value="{Notice.objects.get(text="园区公告").pk}" form="tick"' in unread
    tina.post(reverse("core:inbox_read"), {"ticked": "1"})  # nothing ticked: nothing read
    assert Notice.objects.get(text="园区公告").read_at is None
    notify.notify("system", "第三条", [world.tina.pk])
    third = Notice.objects.get(text="第三条")
    ticked = Notice.objects.get(text="园区公告")
    tina.post(reverse("core:inbox_read"), {"ticked": "1", "id": [str(ticked.pk)]})
    assert Notice.objects.get(pk=ticked.pk).read_at is not None
    assert Notice.objects.get(pk=third.pk).read_at is None  # only the ticked one
    assert tina.post(reverse("core:inbox_read")).status_code == 302  # 全部已读
    assert not Notice.objects.filter(
        recipient=world.tina, read_at__isnull=True, expires_at__isnull=True
    ).exists()
    assert Notice.objects.get(text="给爱丽丝的消息").read_at is None
    assert 'class="count"' not in tina.get(reverse("core:inbox")).content.decode()


def test_her_home_lists_unread_notices_and_the_settings_page_saves(world) -> None:
    notify.notify("system", "请完善您的人才档案", [world.tina.pk], link=reverse("registry:profile"))
    tina = _client(world.tina)
    home = tina.get(reverse("accounts:home")).content.decode()
    assert "未读消息" in home and "请完善您的人才档案" in home
    notify.mark_read(world.tina)
    assert "请完善您的人才档案" not in tina.get(reverse("accounts:home")).content.decode()
    page = tina.get(reverse("core:inbox_settings")).content.decode()
    assert 'name="policy.claim:sms" aria-label="政策兑现 短信" checked' in page  # the kind's default
    assert tina.post(reverse("core:inbox_settings"), {"system:email": "on"}).status_code == 302
    prefs = dict(
        ((k, c), on)
        for k, c, on in NoticePreference.objects.filter(user=world.tina).values_list(
            "kind", "channel", "enabled"
        )
    )
    assert prefs[("policy.claim", "sms")] is False and prefs[("system", "email")] is True


def test_each_step_of_a_claim_tells_its_talent(world) -> None:
    make_phd(world)
    v = make_version(make_policy(world.zone, title="博士安家补贴", approval_levels=1))
    runs.publish(ActionContext(user=world.alice, role="office", zone_id=world.zone.pk), v, AS_OF)
    claim = Claim.objects.get(talent=world.talent)
    office = ActionContext(user=world.alice, role="office", zone_id=world.zone.pk)
    tina = ActionContext(user=world.tina, role="talent")
    redemption.confirm_claim(tina, claim, redemption.Confirmation())
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REVIEWING
    texts = list(Notice.objects.filter(recipient=world.tina).order_by("id").values_list("text", flat=True))
    assert len(texts) == 1  # her own confirmation tells her nothing new
    redemption.approve_claims(office, [claim])
    texts = list(Notice.objects.filter(recipient=world.tina).order_by("id").values_list("text", flat=True))
    assert texts[-1] == "您申领的《博士安家补贴》已审核通过，等待拨付"
