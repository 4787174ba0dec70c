"""定时任务: scheduled jobs as data.

Apps register the kinds of work that can be scheduled when they load::

    from talentpark.core import scheduling
    scheduling.register_job("policies.sweep", sweep_all, label="补充比对")

A job function takes ``zone_id`` (``None`` for a platform-wide job) and returns a short
result summary (text or a number). The office schedules registered kinds as rows of
``ScheduledJob`` (a cron expression, a zone or the whole platform, enabled or not) under
系统管理 → 定时任务; the task worker's scheduler claims due occurrences and runs them
(``core.scheduling.service``). This module holds only the registry, so it imports no model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext


@dataclass(frozen=True)
class JobKind:
    code: str
    func: Callable[..., Any]
    label: str
    description: str = ""


_KINDS: dict[str, JobKind] = {}


def register_job(code: str, func: Callable[..., Any], *, label: str, description: str = "") -> JobKind:
    """Make ``code`` a kind of work that jobs can schedule (call once, from the app's ``ready()``)."""
    kind = JobKind(code, func, label, description)
    existing = _KINDS.get(code)
    if existing is not None and existing.func is not func:
        raise ValueError(f"job kind {code!r} is already registered")
    _KINDS[code] = kind
    return kind


def get_kind(code: str) -> JobKind | None:
    return _KINDS.get(code)


def kinds() -> list[JobKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)


def job_label(code: str) -> str:
    kind = _KINDS.get(code)
    return gettext(kind.label) if kind else code
