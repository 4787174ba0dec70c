"""定时任务 tables: the jobs (data, not code), every run of them, and the workers' heartbeats."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ScheduledJob(models.Model):
    """One kind of registered work (``core.scheduling.register_job``) on a cron schedule, for one
    zone or, with no zone, for the whole platform. ``next_run_at`` is the occurrence a worker
    claims next (with a conditional update); it is empty while the job is disabled."""

    kind = models.CharField("任务类型", max_length=60)
    zone = models.ForeignKey(
        "core.Zone", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="园区"
    )
    cron = models.CharField("执行周期", max_length=100, help_text="cron 表达式：分 时 日 月 周")
    enabled = models.BooleanField("启用", default=True)
    next_run_at = models.DateTimeField("下次执行", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "定时任务"
        ordering = ["kind", "zone_id", "id"]
        indexes = [models.Index(fields=["enabled", "next_run_at"], name="core_job_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "zone"], condition=models.Q(zone__isnull=False), name="core_job_kind_zone"
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(zone__isnull=True), name="core_job_kind_platform"
            ),
        ]

    def __str__(self) -> str:
        from talentpark.core.scheduling import job_label

        return job_label(self.kind)


class JobRun(models.Model):
    """One run of a job: the occurrence it belongs to (unique per job: no occurrence runs twice),
    when it started and ended, its result or error, and who started it (empty: the scheduler)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "执行中"
        SUCCEEDED = "succeeded", "成功"
        FAILED = "failed", "失败"

    job = models.ForeignKey(ScheduledJob, models.CASCADE, related_name="runs", verbose_name="定时任务")
    occurrence = models.DateTimeField("计划时间")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    queued_at = models.DateTimeField("排队时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    summary = models.CharField("执行结果", max_length=300, blank=True)
    error = models.TextField("错误信息", blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="执行人",
    )
    worker_id = models.CharField("执行进程", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "定时任务执行记录"
        ordering = ["-occurrence", "-id"]
        indexes = [models.Index(fields=["job", "-occurrence"], name="core_jobrun_latest")]
        constraints = [models.UniqueConstraint(fields=["job", "occurrence"], name="core_jobrun_once")]

    def __str__(self) -> str:
        return f"{self.job_id}@{self.occurrence:%Y-%m-%d %H:%M}"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class WorkerHeartbeat(models.Model):
    """A task worker's sign of life, written on every scheduler tick (``/healthz`` reads it)."""

    worker_id = models.CharField("进程标识", max_length=64, unique=True)
    host = models.CharField("主机", max_length=255, blank=True)
    pid = models.PositiveIntegerField("进程号", default=0)
    started_at = models.DateTimeField("启动时间")
    last_seen = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台进程心跳"
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
