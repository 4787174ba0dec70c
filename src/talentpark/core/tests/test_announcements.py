"""通知公告: the office publishes to an audience; each audience sees it on its home while it is live."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpark.core.models import Announcement, AuditLog
from talentpark.registry.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db(transaction=True)  # homes are cached until a change commits


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(**values: Any) -> dict[str, Any]:
    data = {
        "title": "关于2026年度人才公寓申请的通知",
        "body": "符合条件的人才可于12月31日前申请。",
        "audience": "talents",
        "department": "",
        "publish_on": timezone.localdate().isoformat(),
        "expires_on": "",
    }
    data.update(values)
    return data


def _publish(alice: Client, **values: Any) -> Announcement:
    response = alice.post(reverse("core:announcement_new"), _form(**values))
    assert response.status_code == 302, response.content.decode()[:1500]
    obj = Announcement.objects.order_by("-pk").first()
    assert obj is not None
    assert alice.post(reverse("core:announcement_publish", args=[obj.pk])).status_code == 302
    return obj


def _home(user: Any) -> str:
    return str(_client(user).get(reverse("accounts:home")).content.decode())


def test_each_audience_sees_its_announcements_on_its_home_and_only_while_live(world) -> None:
    alice = _client(world.alice)
    _publish(alice, title="致全体人才")
    _publish(alice, title="致全体企业", audience="enterprises")
    _publish(alice, title="致住建局", audience="department", department=str(world.housing_dept.pk))
    _publish(alice, title="明天的公告", publish_on=(timezone.localdate() + dt.timedelta(days=1)).isoformat())
    draft = alice.post(reverse("core:announcement_new"), _form(title="草稿公告"))
    assert draft.status_code == 302
    tina, erin, dave, bob = _home(world.tina), _home(world.erin), _home(world.dave), _home(world.bob)
    assert "致全体人才" in tina and "致全体企业" not in tina and "致住建局" not in tina
    assert "致全体企业" in erin and "致全体人才" not in erin
    assert "致住建局" in dave and "致住建局" not in bob and "致全体人才" not in dave
    for page in (tina, erin, dave, bob):
        assert "明天的公告" not in page and "草稿公告" not in page
    obj = Announcement.objects.get(title="致全体人才")
    assert alice.post(reverse("core:announcement_withdraw", args=[obj.pk])).status_code == 302
    assert "致全体人才" not in _home(world.tina)  # the cached home follows the withdrawal
    assert AuditLog.objects.filter(action="announcement.withdraw", object_id=str(obj.pk)).exists()
    listing = alice.get(reverse("core:announcement_list")).content.decode()
    assert "致全体人才" in listing and "已撤回" in listing and "全体企业" in listing


def test_bad_announcements_name_each_field_and_save_nothing(world) -> None:
    alice = _client(world.alice)
    bad = alice.post(
        reverse("core:announcement_new"),
        _form(
            title="", body="x" * 2001, audience="department", publish_on="2026-13-40", expires_on="2026-01-01"
        ),
    )
    page = bad.content.decode()
    assert bad.status_code == 400
    for message in (
        "标题：不能为空",
        "正文：不能超过2000字",
        "部门：发布对象为指定部门时必须选择部门",
        "发布日期：",
    ):
        assert message in page, message
    foreign = DepartmentFactory(zone=world.other_zone, name="外区部门")  # another zone's department
    refused = alice.post(
        reverse("core:announcement_new"), _form(audience="department", department=str(foreign.pk))
    )
    assert refused.status_code == 400 and "部门：不是本园区的部门" in refused.content.decode()
    early = alice.post(
        reverse("core:announcement_new"),
        _form(expires_on=(timezone.localdate() - dt.timedelta(days=1)).isoformat()),
    )
    assert "截止日期：不能早于发布日期" in early.content.decode()
    assert not Announcement.objects.exists()


def test_only_the_office_manages_announcements_of_its_own_zone(world) -> None:
    obj = _publish(_client(world.alice))
    for persona in ("bob", "dave", "erin", "tina", "pat", "amy", "paul"):
        client = _client(getattr(world, persona))
        assert client.get(reverse("core:announcement_list")).status_code == 403, persona
        assert client.post(reverse("core:announcement_withdraw", args=[obj.pk])).status_code == 403, persona
    obj.refresh_from_db()
    assert obj.status == Announcement.Status.PUBLISHED
