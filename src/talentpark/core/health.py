"""``/healthz`` for a load balancer, and the deployment checks of ``talentpark check --deploy``.

``/healthz`` answers without a login and reveals no secrets: for each check its state and a
figure (seconds, bytes), and 200 when every check passes, 503 otherwise:

* ``database`` — a ``SELECT 1`` on the default database;
* ``worker`` — the newest task-worker heartbeat (written on every scheduler tick) is younger than
  ``TALENTPARK_HEALTH_WORKER_STALE_SECONDS`` (default: 4 scheduler intervals, at least 60 s);
* ``queue`` — the oldest task waiting to run has waited less than
  ``TALENTPARK_HEALTH_QUEUE_MAX_AGE_SECONDS`` (default 600 s);
* ``disk`` — the var directory's file system has at least ``TALENTPARK_HEALTH_MIN_FREE_BYTES``
  free (default 1 GiB).
"""

from __future__ import annotations

import shutil
from typing import Any

from django.conf import settings
from django.core import checks
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Known non-secret values: the development defaults a production deployment must not keep.
INSECURE_SECRET_PREFIXES = ("django-insecure-", "changeme", "secret")


def _stale_after() -> float:
    default = max(60.0, 4 * float(getattr(settings, "TALENTPARK_SCHEDULER_INTERVAL", 15)))
    return float(getattr(settings, "TALENTPARK_HEALTH_WORKER_STALE_SECONDS", default))


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}


def check_worker(now: Any = None) -> dict[str, Any]:
    from talentpark.core.scheduling.models import WorkerHeartbeat

    now = now or timezone.now()
    last = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    if last is None:
        return {"ok": False, "age_seconds": None}
    age = (now - last).total_seconds()
    return {"ok": age <= _stale_after(), "age_seconds": round(age, 1)}


def check_queue(now: Any = None) -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    oldest = (
        DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    )
    limit = float(getattr(settings, "TALENTPARK_HEALTH_QUEUE_MAX_AGE_SECONDS", 600))
    age = 0.0 if oldest is None else (now - oldest).total_seconds()
    return {"ok": age <= limit, "oldest_seconds": round(age, 1)}


def check_disk() -> dict[str, Any]:
    free = shutil.disk_usage(settings.VAR_DIR).free
    minimum = int(getattr(settings, "TALENTPARK_HEALTH_MIN_FREE_BYTES", 1 << 30))
    return {"ok": free >= minimum, "free_bytes": free}


def report() -> dict[str, Any]:
    database = check_database()
    result: dict[str, Any] = {"database": database}
    if database["ok"]:  # the other checks read the database
        result["worker"] = check_worker()
        result["queue"] = check_queue()
    else:
        result["worker"] = result["queue"] = {"ok": False, "error": "database"}
    result["disk"] = check_disk()
    result["ok"] = all(part["ok"] for part in result.values() if isinstance(part, dict))
    return result


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    body = report()
    return JsonResponse(body, status=200 if body["ok"] else 503)


# -- talentpark check --deploy --------------------------------------------------------------------


@checks.register(checks.Tags.security, deploy=True)
def deploy_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Unsafe production settings: each an error, so ``check --deploy`` exits non-zero."""
    errors: list[checks.CheckMessage] = []
    if settings.DEBUG:
        errors.append(checks.Error("生产环境不得开启 DEBUG（DJANGO_DEBUG=1）", id="talentpark.E001"))
    key = str(settings.SECRET_KEY)
    if len(key) < 50 or key.startswith(INSECURE_SECRET_PREFIXES):
        errors.append(checks.Error("DJANGO_SECRET_KEY 过短或是默认值", id="talentpark.E002"))
    from_file = list(getattr(settings, "TALENTPARK_KEYS_FROM_FILE", []))
    if from_file:
        errors.append(
            checks.Error(
                "密钥来自本地文件 var/secrets.json，生产环境须由环境变量提供：" + "、".join(from_file),
                id="talentpark.E003",
            )
        )
    if not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE and settings.SECURE_HSTS_SECONDS):
        errors.append(
            checks.Error(
                "未启用 HTTPS（TALENTPARK_HTTPS=1）：会话和 CSRF Cookie 不安全", id="talentpark.E004"
            )
        )
    sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    if sqlite and int(getattr(settings, "TALENTPARK_WEB_WORKERS", 1)) > 1:
        errors.append(
            checks.Error(
                "多个 Web 进程（TALENTPARK_WEB_WORKERS>1）必须使用 PostgreSQL，不能用 SQLite",
                id="talentpark.E005",
            )
        )
    return errors
