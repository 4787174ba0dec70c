"""``/healthz`` tells a load balancer whether this node can serve, and ``check --deploy`` refuses
unsafe production settings (issue point 8)."""

from __future__ import annotations

import datetime as dt
import json
from collections import namedtuple
from typing import Any

import pytest
from django.core import checks
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from talentpark.core import health
from talentpark.core.scheduling import service
from talentpark.core.scheduling.models import WorkerHeartbeat

Usage = namedtuple("Usage", "total used free")


def _get(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/healthz")
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_a_healthy_node_answers_200_without_a_login() -> None:
    service.heartbeat("worker-a")
    status, body = _get(Client())
    assert status == 200, body
    assert body["ok"] is True
    assert body["database"] == {"ok": True}
    assert body["worker"]["ok"] and body["worker"]["age_seconds"] < 60
    assert body["queue"] == {"ok": True, "oldest_seconds": 0.0}
    assert body["disk"]["ok"] and body["disk"]["free_bytes"] > 0
    assert "secret" not in json.dumps(body).lower()


@pytest.mark.django_db
def test_no_worker_heartbeat_or_a_stale_one_is_unhealthy(settings: Any) -> None:
    status, body = _get(Client())
    assert status == 503 and body["worker"] == {"ok": False, "age_seconds": None}
    service.heartbeat("worker-a")
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - dt.timedelta(minutes=10))
    settings.TALENTPARK_HEALTH_WORKER_STALE_SECONDS = 120
    status, body = _get(Client())
    assert status == 503 and body["worker"]["ok"] is False and body["worker"]["age_seconds"] >= 600


@pytest.mark.django_db
def test_a_task_waiting_too_long_is_unhealthy(settings: Any) -> None:
    service.heartbeat("worker-a")
    settings.TALENTPARK_HEALTH_QUEUE_MAX_AGE_SECONDS = 300
    task = DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="talentpark.core.scheduling.service.run_job",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now() - dt.timedelta(hours=1),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - dt.timedelta(minutes=30))
    status, body = _get(Client())
    assert status == 503 and body["queue"]["ok"] is False and body["queue"]["oldest_seconds"] >= 1800
    DBTaskResult.objects.filter(pk=task.pk).update(status="SUCCESSFUL")
    assert _get(Client())[0] == 200


@pytest.mark.django_db
def test_a_full_disk_is_unhealthy(monkeypatch: Any) -> None:
    service.heartbeat("worker-a")
    monkeypatch.setattr(health.shutil, "disk_usage", lambda path: Usage(100, 100, 1024))
    status, body = _get(Client())
    assert status == 503 and body["disk"] == {"ok": False, "free_bytes": 1024}


@pytest.mark.django_db
def test_an_unreachable_database_is_unhealthy(monkeypatch: Any) -> None:
    def broken() -> Any:
        raise RuntimeError("down")

    monkeypatch.setattr(health.connection, "cursor", broken)
    body = health.report()
    assert body["ok"] is False and body["database"] == {"ok": False, "error": "RuntimeError"}
    assert body["worker"] == {"ok": False, "error": "database"}


def _deploy_ids(settings: Any) -> set[str]:
    return {m.id for m in health.deploy_settings() if m.level >= checks.ERROR}


def test_deploy_check_refuses_each_unsafe_setting(settings: Any) -> None:
    settings.DEBUG = False
    settings.SECRET_KEY = "k" * 64
    settings.TALENTPARK_KEYS_FROM_FILE = []
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.TALENTPARK_WEB_WORKERS = 1
    assert _deploy_ids(settings) == set()  # a safe configuration passes

    settings.DEBUG = True
    assert _deploy_ids(settings) == {"talentpark.E001"}
    settings.DEBUG = False
    settings.SECRET_KEY = "django-insecure-" + "x" * 60
    assert _deploy_ids(settings) == {"talentpark.E002"}
    settings.SECRET_KEY = "k" * 64
    settings.TALENTPARK_KEYS_FROM_FILE = ["TALENTPARK_FIELD_KEYS"]
    assert _deploy_ids(settings) == {"talentpark.E003"}
    settings.TALENTPARK_KEYS_FROM_FILE = []
    settings.SESSION_COOKIE_SECURE = False
    assert _deploy_ids(settings) == {"talentpark.E004"}
    settings.SESSION_COOKIE_SECURE = True
    settings.TALENTPARK_WEB_WORKERS = 4
    sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    assert _deploy_ids(settings) == ({"talentpark.E005"} if sqlite else set())


def test_check_deploy_runs_the_checks_and_fails(settings: Any) -> None:
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.DEBUG = True
    with pytest.raises(SystemCheckError, match=r"talentpark\.E001"):
        call_command("check", "--deploy")
