"""参数管理: typed, validated, audited run-time parameters that take effect without a restart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from talentpark.accounts import sessions
from talentpark.accounts.models import User
from talentpark.core import parameters
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog, Parameter
from talentpark.registry.tests.factories import PASSWORD

# The process keeps its copy of the overrides for a minute here (0 is the pytest default): a test
# passes only if a change through the service really drops the copy when it commits.
CACHED = override_settings(TALENTPARK_PARAMETER_TTL=60)


@pytest.fixture(autouse=True)
def _fresh_copy() -> Any:
    parameters.forget()
    yield
    parameters.forget()


@pytest.fixture
def sysadmin(world) -> User:
    return User.objects.create_user(
        "sysadmin", password=PASSWORD, role="office", zone=world.zone, is_superuser=True
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ctx(user: User) -> ActionContext:
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id, ip="10.0.0.1", request_id="t")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("五", "“五”不是整数"),
        ("", "不能为空"),
        ("4", "不能小于5"),
        ("201", "不能大于200"),
        ("2.5", "不是整数"),
    ],
)
def test_a_bad_value_names_the_parameter_and_the_reason_and_saves_nothing(sysadmin, raw, reason):
    with pytest.raises(ValidationError) as caught:
        parameters.set_value(_ctx(sysadmin), "list.page_size", raw)
    [message] = caught.value.message_dict["list.page_size"]
    assert message.startswith("列表每页条数：") and reason in message, message
    assert not Parameter.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="core.parameter.").exists()
    assert parameters.value("list.page_size") == 25


@pytest.mark.django_db
def test_full_width_digits_are_accepted_and_a_change_and_a_reset_are_each_audited(sysadmin):
    parameters.set_value(_ctx(sysadmin), "list.page_size", "４０")
    assert parameters.value("list.page_size") == 40
    assert parameters.overridden("list.page_size")
    parameters.reset(_ctx(sysadmin), "list.page_size")
    assert parameters.value("list.page_size") == 25 and not parameters.overridden("list.page_size")
    assert parameters.reset(_ctx(sysadmin), "list.page_size") is None  # nothing to reset: no row
    rows = list(AuditLog.objects.filter(action__startswith="core.parameter.").order_by("id"))
    assert [r.action for r in rows] == ["core.parameter.change", "core.parameter.reset"]
    assert rows[0].before == {"key": "list.page_size", "value": None, "default": "25"}
    assert rows[0].after == {"key": "list.page_size", "value": "40"}
    assert rows[0].actor_id == sysadmin.pk


@pytest.mark.django_db
def test_the_default_comes_from_the_settings_until_overridden(sysadmin):
    with override_settings(TALENTPARK_PAGE_SIZE=2):  # the deployment's value is not held to the bounds
        assert parameters.value("list.page_size") == 2
    with override_settings(TALENTPARK_PAGE_SIZE=7):
        assert parameters.value("list.page_size") == 7
        parameters.set_value(_ctx(sysadmin), "list.page_size", "9")
        assert parameters.value("list.page_size") == 9


@pytest.mark.django_db
def test_a_stored_value_that_no_longer_validates_falls_back_to_the_default(world):
    Parameter.objects.create(key="list.page_size", value="100000")
    assert parameters.value("list.page_size") == 25


@pytest.mark.django_db
def test_the_copy_is_kept_for_the_ttl_and_a_change_through_the_service_drops_it(sysadmin, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(parameters, "_clock", lambda: now[0])
    with CACHED:
        assert parameters.value("list.page_size") == 25
        # Another process writes the table: this one sees it once its copy is older than the TTL.
        Parameter.objects.create(key="list.page_size", value="30")
        assert parameters.value("list.page_size") == 25
        now[0] += 61
        assert parameters.value("list.page_size") == 30


@pytest.mark.django_db(transaction=True)
def test_a_change_on_the_page_applies_to_the_next_page_in_the_same_process(world, sysadmin):
    """The 系统管理员 sets 列表每页条数 to 5: the office's next list has 5 rows a page, no restart."""
    admin, alice = _client(sysadmin), _client(world.alice)
    url = reverse("registry:enterprise_list")
    with CACHED:
        assert alice.get(url).context["page"].paginator.per_page == 25
        response = admin.post(reverse("core:parameter_edit", args=["list.page_size"]), {"value": "5"})
        assert response.status_code == 302
        assert alice.get(url).context["page"].paginator.per_page == 5
        assert "5条" in admin.get(reverse("core:parameter_list")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_page_refuses_a_bad_value_with_the_reason_and_shows_the_history(sysadmin):
    admin = _client(sysadmin)
    url = reverse("core:parameter_edit", args=["login.failure_limit"])
    refused = admin.post(url, {"value": "0"})
    assert refused.status_code == 400
    assert "登录失败锁定次数：不能小于1" in refused.content.decode()
    assert not Parameter.objects.filter(value__isnull=False).exists()
    assert admin.post(url, {"value": "3", "reason": "等保测评要求"}).status_code == 302
    page = admin.get(url).content.decode()
    assert "修改系统参数" in page and "等保测评要求" in page and "sysadmin" in page
    assert admin.post(url, {"reset": "1"}).status_code == 302
    assert parameters.value("login.failure_limit") == 5
    assert "系统参数恢复默认" in admin.get(url).content.decode()


def _login(client: Client, password: str) -> int:
    return client.post(reverse("accounts:login"), {"username": "alice", "password": password}).status_code


@pytest.mark.django_db(transaction=True)
def test_the_login_failure_limit_and_lock_time_are_read_by_axes_at_each_attempt(world, sysadmin):
    with CACHED:
        parameters.set_value(_ctx(sysadmin), "login.failure_limit", "2")
        parameters.set_value(_ctx(sysadmin), "login.lock_minutes", "7")
        client = Client()
        assert _login(client, "wrong-guess") == 200
        locked = client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong-guess"})
        assert locked.status_code == 429  # the 2nd failure locks, not the 5th
        assert "请7分钟后再试" in locked.content.decode()
        assert _login(client, PASSWORD) == 429
        from axes.helpers import get_cool_off, get_failure_limit

        assert get_cool_off() == dt.timedelta(minutes=7)
        assert get_failure_limit(None, {}) == 2


@pytest.mark.django_db(transaction=True)
def test_session_limits_are_parameters(world, sysadmin):
    assert sessions.limits_for(world.bob).idle == dt.timedelta(minutes=30)
    with CACHED:
        parameters.set_value(_ctx(sysadmin), "session.idle_minutes.staff", "5")
        parameters.set_value(_ctx(sysadmin), "session.absolute_hours.public", "2")
        assert sessions.limits_for(world.bob) == sessions.Limits(
            dt.timedelta(minutes=5), dt.timedelta(hours=8)
        )
        assert sessions.limits_for(world.tina) == sessions.Limits(
            dt.timedelta(minutes=120), dt.timedelta(hours=2)
        )


@pytest.mark.django_db
def test_a_session_limit_above_the_cookie_age_is_refused(sysadmin, settings):
    hours = settings.SESSION_COOKIE_AGE // 3600
    with pytest.raises(ValidationError) as caught:
        parameters.set_value(_ctx(sysadmin), "session.absolute_hours.public", str(hours))
    assert "人才与企业会话最长时长：" in caught.value.message_dict["session.absolute_hours.public"][0]


def test_every_parameter_has_a_chinese_label_a_group_and_a_valid_default(settings):
    for spec in parameters.specs():
        assert spec.label and spec.group in parameters.GROUPS, spec.key
        assert getattr(settings, spec.setting) is not None, spec.key
        spec.default()  # validates, or raises


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_of_one_parameter_are_each_applied_and_audited(sysadmin):
    """Four administrators save the same (not yet overridden) parameter at once: the row is created
    once, every change is counted and audited, and the value is one of theirs."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def save(size: int) -> None:
        try:
            barrier.wait(timeout=30)
            parameters.set_value(_ctx(sysadmin), "list.page_size", str(size))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(size,)) for size in (10, 20, 30, 40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    row = Parameter.objects.get(key="list.page_size")
    assert row.revision == 4
    assert AuditLog.objects.filter(action="core.parameter.change").count() == 4
    assert parameters.value("list.page_size") == int(row.value or 0) in (10, 20, 30, 40)
