"""定时任务: cron validation, the scheduler's claims (one run per occurrence, however many workers),
failures recorded without stopping the schedule, "立即执行", the office's pages, the worker's tick."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from talentpark.core import scheduling
from talentpark.core.context import ActionContext
from talentpark.core.management.commands.task_worker import SchedulerThread
from talentpark.core.models import AuditLog, JobRun, ScheduledJob, WorkerHeartbeat
from talentpark.core.scheduling import service
from talentpark.core.tests.threads import race
from talentpark.registry.tests.factories import UserFactory

TZ = timezone.get_fixed_timezone(8 * 60)
NOW = dt.datetime(2026, 12, 2, 9, 30, tzinfo=TZ)  # 09:30 in the zone's time


class Counter:
    """A registered job kind that counts its calls and fails while ``fail`` is set."""

    def __init__(self) -> None:
        self.calls: list[int | None] = []
        self.fail = False
        self.lock = threading.Lock()

    def __call__(self, zone_id: int | None = None) -> str:
        with self.lock:
            self.calls.append(zone_id)
        if self.fail:
            raise RuntimeError("上游接口不可用")
        return f"处理 {len(self.calls)} 次"


@pytest.fixture
def counter() -> Iterator[Counter]:
    fn = Counter()
    scheduling.register_job("test.count", fn, label="测试任务")
    yield fn
    scheduling._KINDS.pop("test.count", None)


def _job(next_run_at: dt.datetime | None = NOW, cron: str = "0 2 * * *", **kw: Any) -> ScheduledJob:
    return ScheduledJob.objects.create(
        kind=kw.pop("kind", "test.count"), cron=cron, next_run_at=next_run_at, **kw
    )


def _office(world: Any) -> ActionContext:
    return ActionContext(user=world.alice, role=world.alice.role, zone_id=world.zone.pk)


# ---- cron expressions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expr", ["", "   ", "* * * *", "0 2 * * * *", "61 * * * *", "0 25 * * *", "每天两点", "0 0 31 2 *"]
)
def test_a_bad_cron_expression_is_refused_in_chinese(expr: str) -> None:
    with pytest.raises(ValidationError) as exc:
        service.validate_cron(expr)
    [message] = exc.value.message_dict["cron"]
    assert message.startswith("执行周期：")


def test_a_good_cron_expression_is_normalised() -> None:
    assert service.validate_cron("  30   3 * *  1-5 ") == "30 3 * * 1-5"


def test_occurrences_are_read_in_the_zones_local_time() -> None:
    assert service.next_after("0 2 * * *", NOW) == dt.datetime(2026, 12, 3, 2, 0, tzinfo=TZ)
    assert service.next_after("0 2 * * *", NOW.replace(hour=1)) == dt.datetime(2026, 12, 2, 2, tzinfo=TZ)
    # exactly at an occurrence: the following one (the current one is being claimed)
    assert service.next_after("0 2 * * *", NOW.replace(hour=2, minute=0)) == dt.datetime(
        2026, 12, 3, 2, tzinfo=TZ
    )


# ---- the scheduler ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_due_job_runs_once_and_its_next_occurrence_is_set(counter: Counter) -> None:
    job = _job(NOW - dt.timedelta(minutes=1))
    [run] = service.tick(NOW, worker_id="w1")
    run.refresh_from_db()
    assert run.status == JobRun.Status.SUCCEEDED and run.summary == "处理 1 次"
    assert run.occurrence == NOW - dt.timedelta(minutes=1) and run.started_by is None
    assert run.started_at and run.finished_at and run.finished_at >= run.started_at
    job.refresh_from_db()
    assert job.next_run_at == dt.datetime(2026, 12, 3, 2, 0, tzinfo=TZ)
    assert service.tick(NOW, worker_id="w1") == [] and counter.calls == [None]


@pytest.mark.django_db
def test_a_job_not_yet_due_or_disabled_does_not_run(counter: Counter) -> None:
    _job(NOW + dt.timedelta(minutes=1))
    _job(NOW - dt.timedelta(hours=1), kind="test.other", enabled=False)
    assert service.tick(NOW) == [] and counter.calls == []


@pytest.mark.django_db
def test_a_failing_job_records_its_error_and_the_next_occurrence_still_runs(counter: Counter) -> None:
    job = _job(NOW, cron="*/10 * * * *")
    counter.fail = True
    [failed] = service.tick(NOW)
    failed.refresh_from_db()
    assert failed.status == JobRun.Status.FAILED and "上游接口不可用" in failed.error and failed.finished_at
    job.refresh_from_db()
    assert job.enabled and job.next_run_at == NOW + dt.timedelta(minutes=10)

    counter.fail = False
    [ok] = service.tick(NOW + dt.timedelta(minutes=10))
    ok.refresh_from_db()
    assert ok.status == JobRun.Status.SUCCEEDED and ok.occurrence == NOW + dt.timedelta(minutes=10)
    assert len(counter.calls) == 2


@pytest.mark.django_db
def test_missed_occurrences_run_once_then_the_schedule_resumes_from_now(counter: Counter) -> None:
    job = _job(NOW - dt.timedelta(days=3), cron="0 * * * *")  # the worker was down for three days
    [run] = service.tick(NOW)
    assert run.occurrence == NOW - dt.timedelta(days=3)
    job.refresh_from_db()
    assert job.next_run_at == NOW.replace(hour=10, minute=0)
    assert service.tick(NOW) == [] and len(counter.calls) == 1


@pytest.mark.django_db
def test_an_occurrence_that_already_ran_is_never_run_again(counter: Counter) -> None:
    job = _job(NOW)
    assert len(service.tick(NOW)) == 1
    # someone (a restored backup, a stale worker) puts the old occurrence back
    ScheduledJob.objects.filter(pk=job.pk).update(next_run_at=NOW)
    assert service.tick(NOW) == []  # the unique (job, occurrence) refuses the second run
    assert JobRun.objects.filter(job=job).count() == 1 and len(counter.calls) == 1


@pytest.mark.django_db
def test_a_run_delivered_twice_runs_its_job_once(counter: Counter) -> None:
    job = _job(None)
    run = JobRun.objects.create(job=job, occurrence=NOW)
    assert service.execute_run(run.pk) == JobRun.Status.SUCCEEDED
    assert service.execute_run(run.pk) == JobRun.Status.SUCCEEDED
    assert len(counter.calls) == 1


@pytest.mark.django_db
def test_an_unregistered_kind_fails_with_a_message() -> None:
    _job(NOW, kind="gone.app")
    [run] = service.tick(NOW)
    run.refresh_from_db()
    assert run.status == JobRun.Status.FAILED and "未注册的任务类型：gone.app" in run.error


@pytest.mark.django_db
def test_a_zone_job_receives_its_zone(world: Any, counter: Counter) -> None:
    _job(NOW, zone=world.zone)
    service.tick(NOW)
    assert counter.calls == [world.zone.pk]


# ---- two workers: one run per occurrence ----------------------------------------------------


@pytest.mark.pg_only  # proven on PostgreSQL (row locks); on SQLite the IMMEDIATE transactions serialise
@pytest.mark.django_db(transaction=True)
def test_two_workers_ticking_together_run_each_occurrence_once(counter: Counter) -> None:
    job = _job(NOW, cron="*/5 * * * *")
    for round_ in range(10):
        at = NOW + dt.timedelta(minutes=5 * round_)
        results = race(2, lambda i, at=at: service.tick(at, worker_id=f"worker-{i}"))
        assert not [r for r in results if isinstance(r, Exception)], results
        assert sorted(len(r) for r in results) == [0, 1], (round_, results)
    assert JobRun.objects.filter(job=job).count() == 10 == len(counter.calls)
    assert JobRun.objects.filter(job=job, status=JobRun.Status.SUCCEEDED).count() == 10


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_that_saw_the_same_occurrence_claim_it_once(counter: Counter) -> None:
    job = _job(NOW)
    seen = ScheduledJob.objects.values_list("next_run_at", flat=True).get(pk=job.pk)  # both read it
    results = race(2, lambda i: service.claim(job.pk, seen, job.cron, NOW, f"worker-{i}"))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len([r for r in results if r is not None]) == 1
    assert JobRun.objects.filter(job=job).count() == 1 and len(counter.calls) == 1


# ---- the office's changes ----------------------------------------------------------------------


@pytest.mark.django_db
def test_changing_the_schedule_is_validated_and_audited(world: Any, counter: Counter) -> None:
    job = _job(NOW)
    with pytest.raises(ValidationError):
        service.set_schedule(_office(world), job, "0 2 * *")
    job.refresh_from_db()
    assert job.cron == "0 2 * * *" and not AuditLog.objects.filter(action="job.schedule").exists()

    service.set_schedule(_office(world), job, "15 4 * * *")
    job.refresh_from_db()
    assert job.cron == "15 4 * * *" and timezone.localtime(job.next_run_at).time() == dt.time(4, 15)
    entry = AuditLog.objects.get(action="job.schedule")
    assert entry.before["cron"] == "0 2 * * *" and entry.after["cron"] == "15 4 * * *"
    assert entry.actor == world.alice and entry.zone_id == world.zone.pk


@pytest.mark.django_db
def test_disabling_and_enabling_is_audited_and_skips_missed_runs(world: Any, counter: Counter) -> None:
    job = _job(NOW - dt.timedelta(days=1))
    service.set_enabled(_office(world), job, False)
    job.refresh_from_db()
    assert not job.enabled and job.next_run_at is None
    service.set_enabled(_office(world), job, True)
    job.refresh_from_db()
    assert job.enabled and job.next_run_at > timezone.now()
    assert list(AuditLog.objects.filter(object_id=str(job.pk)).values_list("action", flat=True)) == [
        "job.enable",
        "job.disable",
    ]


@pytest.mark.django_db
def test_run_now_goes_through_the_same_path_and_records_who(world: Any, counter: Counter) -> None:
    job = _job(NOW + dt.timedelta(days=1))
    run = service.run_now(_office(world), job)
    assert run.status == JobRun.Status.SUCCEEDED and run.started_by == world.alice
    assert DBTaskResult.objects.count() == 0  # tasks run inline under pytest: the same run_job task
    assert AuditLog.objects.filter(action="job.run_now", actor=world.alice).count() == 1
    job.refresh_from_db()
    assert job.next_run_at == NOW + dt.timedelta(days=1)  # the schedule is untouched


@pytest.mark.django_db
def test_run_now_is_refused_while_a_run_is_under_way(world: Any, counter: Counter) -> None:
    job = _job(None)
    JobRun.objects.create(job=job, occurrence=timezone.now())  # queued, waiting for the worker
    with pytest.raises(ValidationError, match="上一次执行尚未结束"):
        service.run_now(_office(world), job)
    assert counter.calls == [] and not AuditLog.objects.filter(action="job.run_now").exists()


# ---- the jobs the migration creates ---------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_schedules_the_nightly_sweep_and_the_pruning(world: Any) -> None:
    migration = importlib.import_module("talentpark.core.migrations.0014_scheduled_jobs")
    ScheduledJob.objects.all().delete()
    migration.create_jobs(apps, None)
    migration.create_jobs(apps, None)  # idempotent
    jobs = dict(ScheduledJob.objects.values_list("kind", "cron"))
    assert jobs == {"policies.sweep": "0 2 * * *", "core.prune_task_results": "30 3 * * *"}
    assert all(j.next_run_at and j.zone_id is None and j.enabled for j in ScheduledJob.objects.all())
    assert scheduling.get_kind("policies.sweep") and scheduling.get_kind("core.prune_task_results")

    sweep = ScheduledJob.objects.get(kind="policies.sweep")
    assert timezone.localtime(sweep.next_run_at).time() == dt.time(2, 0)
    # Between 02:00 and 03:30 Beijing time the pruning's next run comes before the sweep's:
    # the tick at the sweep's time runs both; the sweep's run is the one looked at here.
    runs = service.tick(sweep.next_run_at)
    [run] = [r for r in runs if r.job_id == sweep.pk]
    run.refresh_from_db()
    assert run.status == JobRun.Status.SUCCEEDED and run.summary.startswith("2 个园区")


@pytest.mark.django_db
def test_pruning_deletes_old_task_results_and_runs_only(settings: Any) -> None:
    settings.TALENTPARK_TASK_RESULT_DAYS, settings.TALENTPARK_JOB_RUN_DAYS = 30, 180
    now = timezone.now()

    def result(days: int, status: str = "SUCCESSFUL") -> DBTaskResult:
        return DBTaskResult.objects.create(
            status=status,
            finished_at=now - dt.timedelta(days=days),
            args_kwargs={"args": [], "kwargs": {}},
            task_path="talentpark.core.scheduling.service.run_job",
            backend_name="default",
            run_after=now,
        )

    result(31)  # finished 31 days ago: pruned
    recent, waiting = result(29), result(90, status="READY")
    job = _job(None)
    ancient = JobRun.objects.create(job=job, occurrence=now - dt.timedelta(days=200), status="succeeded")
    JobRun.objects.filter(pk=ancient.pk).update(finished_at=now - dt.timedelta(days=200))
    kept = JobRun.objects.create(job=job, occurrence=now - dt.timedelta(days=10), status="succeeded")
    JobRun.objects.filter(pk=kept.pk).update(finished_at=now - dt.timedelta(days=10))
    summary = service.prune_task_results()
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert list(JobRun.objects.values_list("pk", flat=True)) == [kept.pk]
    assert "任务结果 1 条" in summary


# ---- inside the worker ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_tick_writes_a_heartbeat_and_runs_due_jobs(counter: Counter) -> None:
    _job(timezone.now() - dt.timedelta(minutes=1))
    scheduler = SchedulerThread("worker-a", interval=0)
    scheduler.tick()
    scheduler.tick()
    beat = WorkerHeartbeat.objects.get(worker_id="worker-a")
    assert beat.pid > 0 and beat.host and beat.last_seen >= beat.started_at
    assert len(counter.calls) == 1 and scheduler.ticks == 2


@pytest.mark.django_db(transaction=True)
def test_a_locked_database_does_not_end_the_scheduler(monkeypatch: Any, caplog: Any) -> None:
    def locked(*args: Any, **kwargs: Any) -> list[JobRun]:
        raise OperationalError("database is locked")

    monkeypatch.setattr(service, "tick", locked)
    scheduler = SchedulerThread("worker-b", interval=0)
    with caplog.at_level(logging.WARNING, logger="talentpark.tasks"):
        scheduler.tick()  # logged, not raised
    assert "database is locked" in caplog.text and scheduler.ticks == 1


def test_the_scheduler_thread_stops_at_once(monkeypatch: Any) -> None:
    ticked = threading.Event()
    scheduler = SchedulerThread("worker-c", interval=3600)
    monkeypatch.setattr(scheduler, "tick", ticked.set)
    scheduler.start()
    assert ticked.wait(60)
    scheduler.stop()
    scheduler.join(60)
    assert not scheduler.is_alive()


# ---- the pages -------------------------------------------------------------------------------------


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_the_office_lists_jobs_with_last_result_and_next_run(world: Any, counter: Counter) -> None:
    job = _job(NOW)
    _job(NOW, kind="test.foreign", zone=world.other_zone)  # another zone's job stays hidden
    service.tick(NOW)
    page = _client(world.alice).get(reverse("core:job_list"))
    html = page.content.decode()
    assert page.status_code == 200 and "测试任务" in html and "处理 1 次" in html and "成功" in html
    assert "2026-12-03 02:00" in html and "全平台" in html and "test.foreign" not in html
    assert _client(world.tina).get(reverse("core:job_list")).status_code == 403
    assert _client(world.alice).get(reverse("core:job_detail", args=[job.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_office_edits_disables_and_runs_a_job_from_its_page(world: Any, counter: Counter) -> None:
    job = _job(NOW, zone=world.zone)
    alice = _client(world.alice)
    bad = alice.post(reverse("core:job_schedule", args=[job.pk]), {"cron": "每天两点"})
    assert bad.status_code == 400 and "执行周期：“每天两点”不是有效的 cron 表达式" in bad.content.decode()
    assert ScheduledJob.objects.get(pk=job.pk).cron == "0 2 * * *"

    alice.post(reverse("core:job_schedule", args=[job.pk]), {"cron": "0 3 * * *"})
    assert ScheduledJob.objects.get(pk=job.pk).cron == "0 3 * * *"
    alice.post(reverse("core:job_disable", args=[job.pk]))
    assert not ScheduledJob.objects.get(pk=job.pk).enabled

    done = alice.post(reverse("core:job_run", args=[job.pk]), follow=True).content.decode()
    assert "执行完成：处理 1 次" in done
    run = JobRun.objects.get(job=job)
    assert run.started_by == world.alice
    assert str(world.alice) in done  # the run history names who started it
    assert set(AuditLog.objects.values_list("action", flat=True)) == {
        "job.schedule",
        "job.disable",
        "job.run_now",
    }

    assert _client(world.bob).post(reverse("core:job_run", args=[job.pk])).status_code == 403
    assert JobRun.objects.filter(job=job).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_platform_job_is_the_system_administrators_and_another_zones_is_nobodys(
    world: Any, counter: Counter
) -> None:
    platform = _job(NOW)  # every zone's: one zone's office may look, not change it for all
    foreign = _job(NOW, kind="test.foreign", zone=world.other_zone)
    alice = _client(world.alice)
    assert alice.get(reverse("core:job_detail", args=[platform.pk])).status_code == 200
    for name in ("core:job_schedule", "core:job_disable", "core:job_run"):
        assert alice.post(reverse(name, args=[platform.pk]), {"cron": "0 4 * * *"}).status_code == 403, name
        assert alice.post(reverse(name, args=[foreign.pk]), {"cron": "0 4 * * *"}).status_code == 404, name
    assert alice.get(reverse("core:job_detail", args=[foreign.pk])).status_code == 404
    assert ScheduledJob.objects.get(pk=platform.pk).enabled and not JobRun.objects.exists()
    root = UserFactory(username="root", role="office", zone=world.zone, is_staff=True, is_superuser=True)
    assert _client(root).post(reverse("core:job_disable", args=[platform.pk])).status_code == 302
    assert not ScheduledJob.objects.get(pk=platform.pk).enabled
