"""The embedded SQLite mode queues writers instead of failing (WAL, IMMEDIATE, busy timeout)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog


@pytest.mark.django_db
def test_sqlite_is_configured_for_concurrent_writers():
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"
        return
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5
    with connection.cursor() as cur:
        cur.execute("PRAGMA foreign_keys")
        assert cur.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_all_succeed():
    from talentpark.core import audit

    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            for _ in range(5):
                with transaction.atomic():
                    audit.record(ActionContext.system(f"writer {i}"), "test.concurrent_write", None)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditLog.objects.filter(action="test.concurrent_write").count() == 30
