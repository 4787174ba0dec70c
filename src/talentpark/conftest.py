"""Shared fixtures: a zone with named personas, one per role (tests read as behaviours).

alice — office admin; bob — specialist who owns talent "tina"; carol — another specialist;
dave — housing department handler; erin — HR of tina's employer; frank — HR elsewhere;
tina — a talent with a login; pat — partner window; amy — ambassador; paul — province viewer.
A second zone ("other") holds records nobody in the first zone may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from talentpark.accounts.models import Department, User
from talentpark.accounts.roles import DataScope, Role
from talentpark.core.models import Division, Zone
from talentpark.registry.models import Enterprise, Talent
from talentpark.registry.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    TalentFactory,
    UserFactory,
    ZoneFactory,
    hr_user,
)


@dataclass
class World:
    zone: Zone
    other_zone: Zone
    office_dept: Department
    centre: Department
    team1: Department
    housing_dept: Department
    alice: User
    bob: User
    carol: User
    dave: User
    erin: User
    frank: User
    tina: User
    pat: User
    amy: User
    paul: User
    enterprise: Enterprise
    other_enterprise: Enterprise
    foreign_enterprise: Enterprise
    talent: Talent  # tina's record, owned by bob
    carols_talent: Talent
    foreign_talent: Talent

    def users(self) -> dict[str, User]:
        return {r: getattr(self, n) for n, r in PERSONA_ROLES.items()}


PERSONA_ROLES = {
    "alice": Role.OFFICE,
    "bob": Role.SPECIALIST,
    "dave": Role.DEPT,
    "erin": Role.HR,
    "tina": Role.TALENT,
    "pat": Role.PARTNER,
    "amy": Role.AMBASSADOR,
    "paul": Role.PROVINCE,
}


@pytest.fixture(autouse=True)
def _fresh_fragment_cache_and_language() -> Any:
    """Rendered fragments are keyed on zone versions, which a rolled-back test resets: start empty.
    The language a request activated stays active in the test's thread (the locale middleware sets
    it per request); a later test would start background work in it: reset it too."""
    from django.core.cache import caches
    from django.utils import translation

    caches["fragments"].clear()
    yield
    caches["fragments"].clear()
    translation.deactivate()


@pytest.fixture
def code_tables(db: Any) -> None:
    """Code tables come from data migrations; transactional tests flush them, so reload."""
    from talentpark.core import codetables
    from talentpark.core.models import Division, Industry, University

    if not Division.objects.exists():
        codetables.load_divisions(Division)
        codetables.load_industries(Industry)
        codetables.load_universities(University, Division)


@pytest.fixture
def world(code_tables: None) -> World:
    zone = ZoneFactory(code="test-zone", name="测试高新区", short_name="测试区")
    # Another province's zone (长治, 山西): the Shandong province viewer must not see it.
    other = ZoneFactory(
        code="other-zone",
        name="其他高新区",
        short_name="其他区",
        division=Division.objects.get(code="140400"),
    )
    office = DepartmentFactory(zone=zone, name="人才办", kind=Department.Kind.OFFICE)
    centre = DepartmentFactory(zone=zone, name="人才服务中心", parent=office)
    team1 = DepartmentFactory(zone=zone, name="专员一组", parent=centre)
    housing = DepartmentFactory(zone=zone, name="住建局", parent=office, kind=Department.Kind.HOUSING)
    alice = UserFactory(username="alice", role=Role.OFFICE, zone=zone, department=office)
    bob = UserFactory(username="bob", role=Role.SPECIALIST, zone=zone, department=team1)
    carol = UserFactory(username="carol", role=Role.SPECIALIST, zone=zone, department=team1)
    dave = UserFactory(
        username="dave", role=Role.DEPT, zone=zone, department=housing, data_scope=DataScope.DEPT
    )
    enterprise = EnterpriseFactory(
        zone=zone, name="济宁测试重工股份有限公司", specialist=bob, department=team1
    )
    other_ent = EnterpriseFactory(
        zone=zone, name="济宁另一家科技有限公司", specialist=carol, department=team1
    )
    foreign_ent = EnterpriseFactory(zone=other, name="长治外区电子有限公司")
    erin = hr_user(enterprise, username="erin")
    frank = hr_user(other_ent, username="frank")
    tina = UserFactory(username="tina", role=Role.TALENT, zone=None)
    talent = TalentFactory(
        zone=zone,
        employer=enterprise,
        specialist=bob,
        department=team1,
        person__name="唐娜",
        person__user=tina,
    )
    carols = TalentFactory(
        zone=zone, employer=other_ent, specialist=carol, department=housing, person__name="柯然"
    )
    foreign = TalentFactory(zone=other, employer=foreign_ent, person__name="外区人")
    pat = UserFactory(username="pat", role=Role.PARTNER, zone=zone)
    amy = UserFactory(username="amy", role=Role.AMBASSADOR, zone=zone)
    paul = UserFactory(username="paul", role=Role.PROVINCE, zone=None, province_id="370000")
    return World(
        zone,
        other,
        office,
        centre,
        team1,
        housing,
        alice,
        bob,
        carol,
        dave,
        erin,
        frank,
        tina,
        pat,
        amy,
        paul,
        enterprise,
        other_ent,
        foreign_ent,
        talent,
        carols,
        foreign,
    )


@pytest.fixture
def vendor() -> str:
    return connection.vendor


@pytest.fixture(scope="module")
def browser():
    """Debian chromium under Playwright, one per test module."""
    from talentpark.core.tests.browser import launch_chromium

    yield from launch_chromium()


class TaskQueue:
    """The real task queue (django-tasks-db) instead of running tasks inline, and its worker."""

    def __init__(self) -> None:
        self._threads: list[tuple[Any, Any]] = []

    def _worker(self, batch: bool) -> Any:
        from talentpark.core.management.commands.task_worker import RetryingWorker

        return RetryingWorker(
            queue_names=["default"],
            interval=0.05,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"test-worker-{len(self._threads)}",
            excluded_queue_names=[],
        )

    def pending(self) -> int:
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.ready().count()

    def run_pending(self) -> None:
        """Run every queued task in a worker of this thread, then return (``db_worker --batch``)."""
        self._worker(batch=True).run()

    def start_worker(self) -> None:
        """A worker in a thread of its own until the test ends (a second process, in effect)."""
        import threading

        from django.db import connections

        worker = self._worker(batch=False)

        def run() -> None:
            try:
                worker.run()
            finally:
                connections.close_all()

        thread = threading.Thread(target=run, name="test-task-worker", daemon=True)
        thread.start()
        self._threads.append((worker, thread))

    def stop(self) -> None:
        for worker, _thread in self._threads:
            worker.running = False
        for _worker, thread in self._threads:
            thread.join(60)


@pytest.fixture
def task_queue(monkeypatch: Any) -> Any:
    """Tasks go to the database queue (as in production) and run when a worker takes them.

    Needs ``django_db(transaction=True)``: the worker reads the queue on its own connection.
    """
    from django.tasks import task_backends

    monkeypatch.setitem(
        task_backends.__dict__, "settings", {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    )
    if hasattr(task_backends._connections, "default"):
        monkeypatch.delattr(task_backends._connections, "default")
    queue = TaskQueue()
    try:
        yield queue
    finally:
        queue.stop()
        if hasattr(task_backends._connections, "default"):
            delattr(task_backends._connections, "default")  # this context built the queue backend
