"""Every list page and every API list reads a page in a number of queries that does not grow
with the page: an N+1 (a query per row) fails here.

On the tiny demo zone, each list is read by each role that may read it with two page sizes;
the query counts must be equal. Every list must have been read with enough rows by some role.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import Resolver404, resolve, reverse

from talentpark.accounts.access import can
from talentpark.accounts.models import User
from talentpark.accounts.roles import Role
from talentpark.core import parameters
from talentpark.registry.tests.test_zone_sealing import _listings, demo  # noqa: F401 - the fixture

SMALL, LARGE = 2, 6


@pytest.fixture(autouse=True)
def _warm_parameters(db: Any) -> Any:
    """Counts are taken in the steady state: a process reads the run-time parameters (参数管理) at
    most once per TALENTPARK_PARAMETER_TTL (0 under pytest: every read), not once per request."""
    with override_settings(TALENTPARK_PARAMETER_TTL=3600):
        parameters.forget()
        parameters.value("list.page_size")
        yield
    parameters.forget()


def _queries(client: Client, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries), response


def _readers(main: Any) -> list[User]:
    users = []
    for role in (Role.OFFICE, Role.SPECIALIST, Role.DEPT, Role.HR, Role.TALENT, Role.AMBASSADOR):
        lookup = {"person__zone": main} if role == Role.TALENT else {"zone": main}
        user = User.objects.filter(role=role, **lookup).order_by("pk").first()
        assert user is not None, role
        users.append(user)
    return users


def test_list_pages_read_a_page_in_a_fixed_number_of_queries(demo):  # noqa: F811
    main, _second, _ = demo
    covered: set[str] = set()
    for user in _readers(main):
        client = Client()
        client.force_login(user)
        for listing in _listings():
            if not can(user, listing.model, "view"):
                continue
            url = reverse(f"{listing.namespace}:{listing.slug}_list")
            client.get(url)  # fills what is cached while the zone stands (a filter's choices)
            with override_settings(TALENTPARK_PAGE_SIZE=SMALL):
                small, _ = _queries(client, url)
            with override_settings(TALENTPARK_PAGE_SIZE=LARGE):
                large, response = _queries(client, url)
            if len(response.context["page"].object_list) <= SMALL:
                continue  # too few rows for this role to tell
            assert large == small, (listing.slug, user.role, small, large)
            covered.add(listing.slug)
    assert covered == {listing.slug for listing in _listings()}


def test_api_lists_read_a_page_in_a_fixed_number_of_queries(demo):  # noqa: F811
    main, _second, _ = demo
    covered: set[str] = set()
    for user in _readers(main):
        client = Client()
        client.force_login(user)
        for listing in _listings():
            if listing.namespace == "accounts" or not can(user, listing.model, "view"):
                continue  # the department and user lists have no API
            url = f"/api/{listing.namespace}/{listing.slug}s"
            try:
                resolve(url)
            except Resolver404:
                continue  # this list has no API
            small, _ = _queries(client, f"{url}?page_size={SMALL}")
            large, response = _queries(client, f"{url}?page_size={LARGE}")
            if len(response.json()["items"]) <= SMALL:
                continue
            assert large == small, (url, user.role, small, large)
            covered.add(listing.slug)
    with_api = set()
    for listing in _listings():
        try:
            resolve(f"/api/{listing.namespace}/{listing.slug}s")
            with_api.add(listing.slug)
        except Resolver404:
            pass
    assert with_api and covered == with_api


# Each role's home page in a fixed number of queries (session and user reads included): the
# figures of bench/page_bench.py depend on it, and a count or list added per row fails here.
# A home's first view renders its content (the role's cards); the repeat view of an unchanged zone
# reads the session, the user, the versions of the zones it shows and the top bar's unread count
# (which also marks the cached list of a talent's or an enterprise's unread notices), nothing more.
HOME_QUERIES = {
    Role.OFFICE: 22,  # 合作机构 (人才码) joined the counts; 一窗受理: clocks, first contacts, the queue;
    # 招才引智: the year's applications and hires in one aggregate, the posts awaiting review
    Role.SPECIALIST: 15,  # 一窗受理: her requests' clocks, her first contacts due
    Role.DEPT: 16,  # 一窗受理: her department's parts in one aggregate
    Role.HR: 16,  # 一窗受理: open requests, unrated ones; 招才引智: its pipeline by stage
    Role.TALENT: 18,  # 一窗受理: open requests, unrated ones; 求职: her applications by stage, invitations
    Role.AMBASSADOR: 8,
    Role.PARTNER: 11,  # her partner account, its service counts, active services, the latest five
    Role.PROVINCE: 6,
}
CACHED_HOME_QUERIES = dict.fromkeys(HOME_QUERIES, 4)


def test_every_role_home_reads_a_fixed_number_of_queries(demo):  # noqa: F811
    main, _second, _ = demo
    first, repeat = {}, {}
    for role in HOME_QUERIES:
        if role == Role.PROVINCE:
            user = User.objects.filter(role=role).order_by("pk").first()
        else:
            lookup = {"person__zone": main} if role == Role.TALENT else {"zone": main}
            user = User.objects.filter(role=role, **lookup).order_by("pk").first()
        assert user is not None, role
        client = Client()
        client.force_login(user)
        client.get(reverse("accounts:home"))  # the first read may fill caches
        caches["fragments"].clear()  # ... but the content is rendered again, as after a change
        first[role] = _queries(client, reverse("accounts:home"))[0]
        repeat[role] = _queries(client, reverse("accounts:home"))[0]
    assert first == HOME_QUERIES
    assert repeat == CACHED_HOME_QUERIES
