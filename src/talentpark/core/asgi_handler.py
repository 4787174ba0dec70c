"""An ASGI handler that runs each request's synchronous code on one of a few long-lived threads.

Django's ``ASGIHandler`` enters a fresh ``ThreadSensitiveContext`` per request, and asgiref gives
every such context a new one-thread executor: each request's views, middleware and queries run on
a thread made for it and joined after it. Database connections are per thread, so every request
opened a new one (SQLite reads the schema again on a new connection: about 1.3 ms at seed; a
PostgreSQL connection costs more) and persistent connections could not work at all.

Here a request borrows one of ``THREADS`` single-thread executors for its whole life (asgiref's
``ThreadSensitiveContext(executor=...)``, whose contract is exactly this: one call at a time on one
thread) and gives it back when its response has been sent, so a thread's connection is reused by
the next request, subject to ``CONN_MAX_AGE`` and Django's health checks as under WSGI. While every
thread is busy a new request waits for one — the same back-pressure a WSGI server's thread pool gives.

The middleware chain is built in synchronous mode and entered once through ``sync_to_async``: with
the chain built for async (Django's default under ASGI) each ``MiddlewareMixin`` middleware hops to
the thread and back for its request and response halves, and every sync-only middleware (WhiteNoise)
hops back to the event loop — about a dozen thread switches per request instead of one. The views
are synchronous, so nothing is lost; an async view would still work, run by ``async_to_sync``.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.db import connections

THREADS = int(os.environ.get("TALENTPARK_REQUEST_THREADS", "4"))


class PooledThreadASGIHandler(ASGIHandler):
    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        self._threads = threads or THREADS
        self._idle: asyncio.Queue[ThreadPoolExecutor] | None = None

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        chain: Any = getattr(self, "_middleware_chain")  # noqa: B009 - untyped in django-stubs
        self._middleware_chain = sync_to_async(chain, thread_sensitive=True)

    def _pool(self) -> asyncio.Queue[ThreadPoolExecutor]:
        # Made on first use, inside the server's event loop (one loop per worker process).
        if self._idle is None:
            self._idle = asyncio.Queue()
            for n in range(self._threads):
                self._idle.put_nowait(ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"request-{n}"))
        return self._idle

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)  # Django refuses it with its own message
            return
        idle = self._pool()
        executor = await idle.get()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            idle.put_nowait(executor)

    def close(self) -> None:
        """Close each thread's database connections and stop the threads (tests, shutdown)."""
        if self._idle is None:
            return
        while not self._idle.empty():
            executor = self._idle.get_nowait()
            executor.submit(connections.close_all).result()
            executor.shutdown()
        self._idle = None
