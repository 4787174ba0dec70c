"""Excel import jobs: one uploaded workbook, validated in full, then committed whole or not at all."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ImportJob(models.Model):
    """One upload of a registry workbook by the talent office, and what became of it.

    Validation and commit run in the task worker (small files within the request); the job
    row carries their progress, so any web worker answers the progress page and a restart
    loses nothing but the work in flight. The uploaded file itself is kept encrypted under ``var/imports/`` only until the
    job is committed, cancelled or expires; the job row keeps the file's name, size and
    SHA-256, the counts and the row-level problems (row, column, reason — never a cell's
    personal data).
    """

    class Kind(models.TextChoices):
        TALENT = "talent", "人才"
        ENTERPRISE = "enterprise", "企业"
        PLATFORM = "platform", "创新平台"
        PROJECT = "project", "项目"

    class Status(models.TextChoices):
        VALIDATING = "validating", "校验中"
        INVALID = "invalid", "校验未通过"
        READY = "ready", "待确认导入"
        COMMITTING = "committing", "导入中"
        DONE = "done", "已导入"
        FAILED = "failed", "导入失败"
        CANCELLED = "cancelled", "已取消"

    RUNNING = (Status.VALIDATING, Status.COMMITTING)

    zone = models.ForeignKey("core.Zone", models.PROTECT, verbose_name="园区")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="上传人"
    )
    kind = models.CharField("导入类型", max_length=12, choices=Kind.choices)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.VALIDATING)
    file_name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("文件SHA-256", max_length=64)
    upload_name = models.CharField("暂存文件名", max_length=64, blank=True, editable=False)
    size = models.PositiveIntegerField("文件大小（字节）", default=0)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    # Where the work is (queued, read, validate, write): written by whichever process runs it,
    # read by every web worker's progress page (the database, never one process's memory).
    phase = models.CharField("进度阶段", max_length=12, blank=True, default="")
    counts = models.JSONField("统计", default=dict, blank=True)
    problems = models.JSONField("问题清单", default=list, blank=True)
    problem_count = models.PositiveIntegerField("问题数", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    audit_id = models.BigIntegerField("操作日志ID", null=True, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "Excel导入任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["zone", "user", "created_at"])]
        constraints = [
            # A user runs one import at a time (WEB-7): the database is the final guard.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["validating", "committing"]),
                name="one_running_import_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}导入 {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING
