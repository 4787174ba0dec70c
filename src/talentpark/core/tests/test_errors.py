"""Users see generic Chinese error pages; stack traces stay in the logs (AUD-8)."""

from __future__ import annotations

import io
import logging

import pytest
from django.test import Client, override_settings
from django.urls import include, path

from talentpark.core.logging import PiiScrubFormatter


def _boom(request):
    raise RuntimeError("secret internal detail 11010519491231002X")


urlpatterns = [path("boom/", _boom), path("", include("talentpark.urls"))]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_crash_shows_a_chinese_page_without_a_traceback():
    handler = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, PiiScrubFormatter))
    sink = io.StringIO()
    old_stream = handler.setStream(sink)  # type: ignore[attr-defined]
    try:
        response = Client(raise_request_exception=False).get("/boom/")
    finally:
        handler.setStream(old_stream)  # type: ignore[attr-defined]
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统繁忙" in html
    assert "Traceback" not in html and "secret internal detail" not in html
    logged = sink.getvalue()
    assert "RuntimeError" in logged and "Traceback" in logged  # the log keeps the error …
    assert "11010519491231002X" not in logged and "110***********002X" in logged  # … masked


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_an_unknown_page_is_a_chinese_404(world):
    client = Client()
    client.force_login(world.alice)
    response = client.get("/registry/talent/999999/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
