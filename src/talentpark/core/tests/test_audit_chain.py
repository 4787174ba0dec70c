"""Audit that can be trusted: the logs are hash chains per zone, and ``verify_audit`` finds any
row edited, deleted or cut off behind the application's back (AUD-3).

The tamper tests change the tables with raw SQL, as somebody with database access would; on
PostgreSQL the append-only trigger refuses that, so they first switch it off the way a DBA
could (``SET session_replication_role = replica``).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from talentpark.core import audit, auditchain, pii_access
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditChain, AuditLog, PIIAccessLog
from talentpark.registry.tests.factories import ZoneFactory

PG = connection.vendor == "postgresql"
only_on_pg = pytest.mark.skipif(not PG, reason="row locks and the trigger exist on PostgreSQL only")


def _ctx(world: Any, zone_id: int | None = None) -> ActionContext:
    return ActionContext(user=world.alice, role=world.alice.role, zone_id=zone_id, ip="10.0.0.1")


def _write(world: Any, n: int, zone_id: int | None, action: str = "test.write") -> list[AuditLog]:
    rows = []
    for i in range(n):
        with transaction.atomic():
            rows.append(
                audit.record(
                    _ctx(world, zone_id),
                    action,
                    zone_id=zone_id,
                    before={"n": i},
                    after={"n": i + 1, "x": 1.0},
                )
            )
    return rows


def _verify(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


@contextmanager
def _behind_the_apps_back() -> Iterator[Any]:
    """A cursor that can change the log tables: on PostgreSQL with the triggers off, as a DBA."""
    with connection.cursor() as cursor:
        if PG:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield cursor
        finally:
            if PG:
                cursor.execute("SET session_replication_role = DEFAULT")


# ---- the chain ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_zone_and_the_rows_without_a_zone_have_their_own_linear_chain(world):
    mine = _write(world, 3, world.zone.pk)
    theirs = _write(world, 2, world.other_zone.pk)
    nowhere = _write(world, 2, None)
    for rows in (mine, theirs, nowhere):
        saved = [AuditLog.objects.get(pk=r.pk) for r in rows]
        assert [r.seq for r in saved] == list(range(1, len(rows) + 1))
        assert saved[0].prev_hash == auditchain.GENESIS
        assert [r.prev_hash for r in saved[1:]] == [r.hash for r in saved[:-1]]
        assert all(r.hash == auditchain.digest("core.auditlog", r) for r in saved)  # as read back
    head = AuditChain.objects.get(log="core.auditlog", zone_key=world.zone.pk)
    assert (head.seq, head.head) == (3, AuditLog.objects.get(pk=mine[-1].pk).hash)
    assert AuditChain.objects.get(log="core.auditlog", zone_key=auditchain.NO_ZONE).seq == 2


@pytest.mark.django_db
def test_the_hash_covers_every_field_of_the_row(world):
    [row] = _write(world, 1, world.zone.pk)
    row = AuditLog.objects.get(pk=row.pk)
    for name, value in (
        ("actor_id", world.bob.pk),
        ("actor_name", "bob"),
        ("action", "x"),
        ("after", {"n": 2}),
        ("reason", "改"),
        ("ip", "1.2.3.4"),
        ("zone_id", world.other_zone.pk),
        ("at", row.at.replace(year=2020)),
        ("prev_hash", "1" * 64),
        ("seq", 9),
    ):
        changed = AuditLog.objects.get(pk=row.pk)
        setattr(changed, name, value)
        assert auditchain.digest("core.auditlog", changed) != row.hash, name


@pytest.mark.django_db
def test_bulk_create_chains_the_rows_in_the_order_given(world):
    _write(world, 1, world.zone.pk)
    rows = [
        AuditLog(zone_id=z, actor=world.alice, actor_name="alice", action=f"bulk.{i}", object_id=i)
        for i, z in enumerate([world.zone.pk, None, world.zone.pk, world.other_zone.pk, world.zone.pk])
    ]
    with transaction.atomic():
        AuditLog.objects.bulk_create(rows)
    mine = list(AuditLog.objects.filter(zone_id=world.zone.pk).order_by("seq"))
    assert [(r.seq, r.action) for r in mine[1:]] == [(2, "bulk.0"), (3, "bulk.2"), (4, "bulk.4")]
    assert mine[2].object_id == "2"  # hashed as the database keeps it
    code, out = _verify()
    assert code == 0, out


@pytest.mark.django_db
def test_the_application_cannot_change_or_delete_rows_in_bulk(world):
    _write(world, 2, world.zone.pk)
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(zone_id=world.zone.pk).update(reason="x")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    with pytest.raises(PermissionError):
        PIIAccessLog.objects.all().delete()


@pytest.mark.django_db
def test_a_rolled_back_operation_leaves_no_row_and_no_head_move(world):
    _write(world, 1, world.zone.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(_ctx(world, world.zone.pk), "test.write", zone_id=world.zone.pk)
        raise RuntimeError("the operation fails after auditing")
    assert AuditChain.objects.get(log="core.auditlog", zone_key=world.zone.pk).seq == 1
    _write(world, 1, world.zone.pk)
    assert list(AuditLog.objects.filter(zone_id=world.zone.pk).values_list("seq", flat=True)) == [2, 1]
    assert _verify()[0] == 0


@pytest.mark.django_db
def test_pii_access_rows_are_chained_too(world):
    ctx = ActionContext(user=world.alice, role=world.alice.role, zone_id=world.zone.pk)
    for _ in range(2):
        pii_access.reveal(ctx, world.talent.person, "phone", "核实身份", scope_model=world.talent)
    rows = list(PIIAccessLog.objects.filter(zone_id=world.zone.pk).order_by("seq"))
    assert [r.seq for r in rows] == [1, 2] and rows[1].prev_hash == rows[0].hash
    with _behind_the_apps_back() as cursor:
        cursor.execute("UPDATE core_piiaccesslog SET reason = %s WHERE id = %s", ["随便看看", rows[0].pk])
    code, out = _verify()
    assert code == 1
    assert "个人信息查看日志：共 2 条，第 1 条记录" in out and "已被修改" in out


# ---- verify_audit ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_clean_run_reports_every_chain_and_exits_zero(world):
    _write(world, 3, world.zone.pk)
    _write(world, 1, None)
    code, out = _verify()
    assert code == 0, out
    assert "测试高新区（test-zone） · 操作日志：3 条，链完整" in out
    assert "无园区（系统） · 操作日志：1 条，链完整" in out
    assert "审计链校验通过" in out


@pytest.mark.django_db(transaction=True)
def test_a_row_edited_with_raw_sql_is_found(world):
    rows = _write(world, 5, world.zone.pk)
    with _behind_the_apps_back() as cursor:
        cursor.execute("UPDATE core_auditlog SET reason = %s WHERE id = %s", ["改过的理由", rows[2].pk])
    code, out = _verify()
    assert code == 1
    assert f"操作日志：共 5 条，第 3 条记录（ID {rows[2].pk}）内容与哈希不符（已被修改）" in out
    assert "审计链校验未通过：1 条链有问题" in out


@pytest.mark.django_db(transaction=True)
def test_an_edit_with_its_hash_recomputed_breaks_the_next_link(world):
    rows = _write(world, 4, world.zone.pk)
    forged = AuditLog.objects.get(pk=rows[1].pk)
    forged.reason = "改过的理由"
    with _behind_the_apps_back() as cursor:
        cursor.execute(
            "UPDATE core_auditlog SET reason = %s, hash = %s WHERE id = %s",
            [forged.reason, auditchain.digest("core.auditlog", forged), forged.pk],
        )
    code, out = _verify()
    assert code == 1 and "第 3 条记录" in out and "与上一条断链" in out


@pytest.mark.django_db(transaction=True)
def test_a_deleted_row_is_found(world):
    rows = _write(world, 5, world.zone.pk)
    with _behind_the_apps_back() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE id = %s", [rows[1].pk])
    code, out = _verify()
    assert code == 1
    assert f"操作日志：共 4 条，第 2 条记录缺失（已被删除），下一条为第 3 条（ID {rows[2].pk}）" in out


@pytest.mark.django_db(transaction=True)
def test_a_deleted_last_row_is_found_from_the_head(world):
    rows = _write(world, 5, world.zone.pk)
    with _behind_the_apps_back() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE id = %s", [rows[-1].pk])
    code, out = _verify()
    assert code == 1
    assert "操作日志：共 4 条，链尾被截断：链头记录共 5 条，实际只到第 4 条（最后 1 条已被删除）" in out


@pytest.mark.django_db(transaction=True)
def test_zone_option_checks_one_zone_and_each_zone_reports_its_own_break(world):
    mine = _write(world, 3, world.zone.pk)
    theirs = _write(world, 3, world.other_zone.pk)
    with _behind_the_apps_back() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE id = %s", [mine[0].pk])
        cursor.execute("UPDATE core_auditlog SET action = 'x' WHERE id = %s", [theirs[1].pk])
    code, out = _verify()
    assert code == 1 and "2 条链有问题" in out
    assert "测试高新区（test-zone） · 操作日志：共 2 条，第 1 条记录缺失" in out
    assert "其他高新区（other-zone） · 操作日志：共 3 条，第 2 条记录" in out
    code, out = _verify("--zone", "other-zone")
    assert code == 1 and "测试高新区" not in out
    with _behind_the_apps_back() as cursor:
        cursor.execute("UPDATE core_auditlog SET action = %s WHERE id = %s", [theirs[1].action, theirs[1].pk])
    code, out = _verify("--zone", "other-zone")
    assert code == 0 and "其他高新区（other-zone） · 操作日志：3 条，链完整" in out
    code, out = _verify("--zone", "nowhere")
    assert code == 1 and "园区代码：找不到“nowhere”" in out


# ---- PostgreSQL: the trigger and concurrent writers -----------------------------------------------


SQL = {
    "core_auditlog": (
        "UPDATE core_auditlog SET reason = 'x'",
        "DELETE FROM core_auditlog",
        "SELECT count(*) FROM core_auditlog",
        "TRUNCATE core_auditlog",
    ),
    "core_piiaccesslog": (
        "UPDATE core_piiaccesslog SET reason = 'x'",
        "DELETE FROM core_piiaccesslog",
        "SELECT count(*) FROM core_piiaccesslog",
        "TRUNCATE core_piiaccesslog",
    ),
}


@pytest.mark.pg_only
@only_on_pg
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("table", ["core_auditlog", "core_piiaccesslog"])
def test_postgresql_refuses_update_and_delete_but_not_truncate(world, table):
    ctx = ActionContext(user=world.alice, role=world.alice.role, zone_id=world.zone.pk)
    _write(world, 1, world.zone.pk)
    pii_access.reveal(ctx, world.talent.person, "phone", "核实身份", scope_model=world.talent)
    update, delete, count, truncate = SQL[table]
    for sql in (update, delete):
        with pytest.raises(DatabaseError, match="审计记录只能追加"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute(count)
        assert cursor.fetchone()[0] == 1
        cursor.execute(truncate)  # what a test database's flush does
        cursor.execute(count)
        assert cursor.fetchone()[0] == 0


THREADS, PER_THREAD = 8, 3


@pytest.mark.pg_only
@only_on_pg
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fresh_zone", [False, True], ids=["existing-head", "first-rows-of-a-zone"])
def test_concurrent_writers_of_one_zone_never_fork_the_chain(world, fresh_zone):
    zone = ZoneFactory(code="race-zone", name="并发园区") if fresh_zone else world.zone
    if not fresh_zone:
        _write(world, 2, zone.pk)
    go = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            go.wait()
            with transaction.atomic():  # one operation auditing several steps
                for step in range(PER_THREAD):
                    audit.record(
                        _ctx(world, zone.pk), "race.step", zone_id=zone.pk, after={"t": i, "s": step}
                    )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    rows = list(AuditLog.objects.filter(zone_id=zone.pk).order_by("seq"))
    start = 0 if fresh_zone else 2
    assert [r.seq for r in rows] == list(range(1, start + THREADS * PER_THREAD + 1))
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    race = [r for r in rows if r.action == "race.step"]
    for i in range(THREADS):  # each transaction's rows are consecutive: the head was held to commit
        seqs = [r.seq for r in race if r.after["t"] == i]
        assert seqs == list(range(seqs[0], seqs[0] + PER_THREAD)), seqs
    assert AuditChain.objects.filter(log="core.auditlog", zone_key=zone.pk).count() == 1
    code, out = _verify("--zone", zone.code)
    assert code == 0, out


# ---- the data migration ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_rows_that_already_exist(world):
    executor = MigrationExecutor(connection)
    # Back to before the chain, then forward to every app's leaf: going back also unapplies the
    # later apps' migrations that depend on core's (signup's), which the rest of the run needs.
    before, after = [("core", "0009_announcements")], executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldAudit, OldPII = old.get_model("core", "AuditLog"), old.get_model("core", "PIIAccessLog")
    for i, zone_id in enumerate([world.zone.pk, None, world.zone.pk, world.other_zone.pk, world.zone.pk]):
        OldAudit.objects.create(
            zone_id=zone_id, actor_id=world.alice.pk, actor_name="alice", action=f"old.{i}"
        )
    OldPII.objects.create(
        zone_id=world.zone.pk, actor_name="alice", subject_type="x", subject_id="1", field="phone"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    mine = list(AuditLog.objects.filter(zone_id=world.zone.pk).order_by("seq").values_list("seq", "action"))
    assert mine == [(1, "old.0"), (2, "old.2"), (3, "old.4")]
    assert AuditChain.objects.get(log="core.auditlog", zone_key=world.zone.pk).seq == 3
    assert AuditChain.objects.get(log="core.piiaccesslog", zone_key=world.zone.pk).seq == 1
    code, out = _verify()
    assert code == 0, out
    _write(world, 1, world.zone.pk)  # new rows go on from the migrated head
    assert AuditLog.objects.filter(zone_id=world.zone.pk).order_by("-seq").first().seq == 4
    assert _verify()[0] == 0
