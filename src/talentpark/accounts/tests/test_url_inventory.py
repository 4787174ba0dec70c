"""No view is public by accident: every URL pattern is walked anonymously."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# Public on purpose: the login page, language switch, static, the admin's own login and /healthz.
PUBLIC = {"login/", "i18n/setlang/", "admin/login/", "api/openapi.json", "healthz", "password/reset/"}
# Registration (signup): open to anyone; their writes need an SMS code (tests in signup/tests).
PUBLIC |= {"signup/", "signup/talent/", "signup/enterprise/", "signup/done/", "signup/privacy/"}
# 人才码's public key list: public material for offline verifiers (talentcode/tests/test_views.py).
PUBLIC |= {"talentcode/keys.json"}
# django-ninja's own root: no page, it answers 404 to everyone.
NOT_A_PAGE = {"api/"}
# Pages that only take POST (a GET is refused with 405 before anything else).
POST_ONLY = {"logout/", "api/talentcode/verify", "api/talentcode/scans/<int:pk>/services"}


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
        if route in PUBLIC or route in NOT_A_PAGE or (route.startswith("admin/") and "login" in route):
            continue
        url = _concrete(route)
        if route in POST_ONLY:
            assert client.get(url).status_code == 405, url
            response = client.post(url)
        else:
            response = client.get(url)
        # Every page that exists answers an anonymous visitor with the login page (or 401 for the
        # API): a 404 or 405 would mean the route is broken or answers before it checks the login.
        if route.startswith("api/") and route != "api/docs":  # the docs page is a staff page
            assert response.status_code == 401, (url, response.status_code)
        else:
            assert response.status_code == 302, (url, response.status_code)
            # The admin and the API docs send to the admin's own login.
            login = ("/admin/",) if route.startswith(("admin/", "api/docs")) else ("/login/",)
            assert response["Location"].startswith(login), (url, response["Location"])
        checked += 1
    assert checked > 20
