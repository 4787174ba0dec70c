"""No view is public by accident: every URL pattern is walked anonymously."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# Public on purpose: the login page, language switch, static, and the admin's own login.
PUBLIC = {"login/", "i18n/setlang/", "admin/login/", "api/openapi.json"}


def _walk(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route


def _concrete(route: str) -> str:
    return "/" + route.replace("<int:pk>", "1").replace("<path:object_id>", "1").replace(
        "<int:user_id>", "1"
    ).replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")


@pytest.mark.django_db
def test_every_route_needs_a_login(world):
    client = Client()
    checked = 0
    for route in _walk(get_resolver().url_patterns):
        if "<" in route.replace("<int:pk>", "").replace("<path:object_id>", "") or "(?P" in route:
            continue  # admin's regex/converter routes are covered by admin's own login
        if route in PUBLIC or (route.startswith("admin/") and "login" in route):
            continue
        url = _concrete(route)
        status = client.get(url).status_code
        assert status in (301, 302, 401, 403, 404, 405), (url, status)
        checked += 1
    assert checked > 20
