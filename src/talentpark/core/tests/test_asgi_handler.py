"""The served ASGI app: a request's work stays on one long-lived thread, and connections persist."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from django.core.signals import request_started
from django.db import connection

from talentpark.core.asgi_handler import PooledThreadASGIHandler

pytestmark = pytest.mark.django_db(transaction=True)


async def _get(app: Any, path: str) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []
    bodies = [{"type": "http.request", "body": b"", "more_body": False}]
    done = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if bodies:
            return bodies.pop()
        await done.wait()  # the client stays connected; Django cancels this when it has answered
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return int(next(m["status"] for m in sent if m["type"] == "http.response.start"))


@pytest.fixture
def seen():
    """(thread name, DB-API connection) of each request's start, on the thread that serves it."""
    rows: list[tuple[str, Any]] = []

    def record(**kwargs: Any) -> None:
        connection.ensure_connection()
        rows.append((threading.current_thread().name, connection.connection))

    request_started.connect(record)
    yield rows
    request_started.disconnect(record)


def test_consecutive_requests_reuse_one_thread_and_its_database_connection(seen):
    app = PooledThreadASGIHandler(threads=1)

    async def two() -> list[int]:
        try:
            return [await _get(app, "/login/"), await _get(app, "/login/")]
        finally:
            app.close()

    assert asyncio.run(two()) == [200, 200]
    assert [name for name, _ in seen] == ["request-0_0", "request-0_0"]
    assert seen[0][1] is seen[1][1]  # the same connection served both


def test_concurrent_requests_share_the_threads_and_all_complete(seen):
    app = PooledThreadASGIHandler(threads=2)

    async def many() -> list[int]:
        try:
            return list(await asyncio.gather(*(_get(app, "/login/") for _ in range(6))))
        finally:
            app.close()

    assert asyncio.run(many()) == [200] * 6
    assert {name for name, _ in seen} <= {"request-0_0", "request-1_0"}


def test_the_middleware_chain_and_the_view_run_on_the_request_thread(seen, monkeypatch):
    from talentpark.accounts import views

    threads: list[str] = []
    original = views.LoginView.get

    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(views.LoginView, "get", get)
    app = PooledThreadASGIHandler(threads=1)

    async def one() -> int:
        try:
            return await _get(app, "/login/")
        finally:
            app.close()

    assert asyncio.run(one()) == 200
    assert threads == [seen[0][0]] == ["request-0_0"]
