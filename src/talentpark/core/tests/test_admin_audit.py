"""Nothing changes through the Django admin without an audit row (AUD-1, issue point 7).

Every registered admin is read-only, saves through the app's audited services, or is an
``AuditedAdmin`` whose additions, changes (inline rows and the password form included) and
deletions write ``admin.*`` audit rows in the same transaction. Domain records are view-only.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from talentpark.accounts.models import Department, User
from talentpark.core.admin_kit import AuditedAdmin, ZoneScopedAdmin
from talentpark.core.models import AuditLog, University, Zone
from talentpark.registry.models import Person


def _superuser_request(user: User) -> Any:
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.fixture
def root(world: Any) -> User:
    return User.objects.create_superuser("root", password="Root@2026!x", zone=world.zone, role="office")


@pytest.fixture
def client_root(root: User) -> Client:
    """The superuser, signed in with her second factor (the admin lets in verified sessions only)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    c = Client()
    c.force_login(root)
    device = TOTPDevice.objects.create(user=root, name="身份验证器", confirmed=True)
    session = c.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return c


@pytest.mark.django_db
def test_every_registered_admin_is_read_only_audited_or_service_backed(root: User) -> None:
    request = _superuser_request(root)
    unguarded = []
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, AuditedAdmin):
            continue
        if isinstance(model_admin, ZoneScopedAdmin) and model_admin.saves_through_services:
            continue
        writes = (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
        if writes:
            unguarded.append(model._meta.label)
    assert unguarded == [], f"admins that change rows without an audit row: {unguarded}"


@pytest.mark.django_db(transaction=True)
def test_a_change_in_the_admin_writes_its_audit_row(world: Any, client_root: Client) -> None:
    zone = world.zone
    url = reverse("admin:core_zone_change", args=[zone.pk])
    page = client_root.get(url)
    assert page.status_code == 200
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data["name"] = "测试高新区（更名）"
    data["division"] = zone.division_id
    response = client_root.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = AuditLog.objects.get(action="admin.change", object_type="core.zone", object_id=str(zone.pk))
    assert row.before == {"name": "测试高新区"} and row.after == {"name": "测试高新区（更名）"}
    assert row.actor.username == "root"
    Zone.objects.get(pk=zone.pk, name="测试高新区（更名）")


@pytest.mark.django_db(transaction=True)
def test_additions_and_bulk_deletions_in_the_admin_are_audited(world: Any, client_root: Client) -> None:
    response = client_root.post(
        reverse("admin:core_university_add"), {"name": "测试理工大学", "kind": "本科"}
    )
    if response.status_code != 302:  # the form names the fields it needs; fill them from its errors
        form = response.context["adminform"].form
        pytest.fail(f"university form refused: {form.errors.as_json()}")
    uni = University.objects.get(name="测试理工大学")
    assert AuditLog.objects.filter(action="admin.create", object_id=str(uni.pk)).count() == 1

    dept = Department.objects.create(zone=world.zone, name="临时专班", kind=Department.Kind.OTHER)
    response = client_root.post(
        reverse("admin:accounts_department_changelist"),
        {"action": "delete_selected", "_selected_action": [dept.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Department.objects.filter(pk=dept.pk).exists()
    row = AuditLog.objects.get(action="admin.delete", object_type="accounts.department")
    assert row.object_id == str(dept.pk) and row.before["name"] == "临时专班"


@pytest.mark.django_db(transaction=True)
def test_a_password_set_in_the_admin_is_audited_without_the_hash(world: Any, client_root: Client) -> None:
    bob = world.bob
    old_hash = bob.password
    response = client_root.post(
        reverse("admin:auth_user_password_change", args=[bob.pk]),
        {"password1": "Neu-Pass#2026x", "password2": "Neu-Pass#2026x", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = AuditLog.objects.get(action="admin.change", object_id=str(bob.pk))
    assert set(row.after) == {"password"}
    bob.refresh_from_db()
    assert bob.password != old_hash and old_hash not in str(row.before) and bob.password not in str(row.after)


@pytest.mark.django_db(transaction=True)
def test_domain_records_are_view_only_in_the_admin(world: Any, client_root: Client) -> None:
    person = world.talent.person
    url = reverse("admin:registry_person_change", args=[person.pk])
    assert client_root.get(url).status_code == 200  # viewable
    response = client_root.post(url, {"name": "改名"})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.name == "唐娜"
    assert client_root.get(reverse("admin:registry_person_add")).status_code == 403
    assert not AuditLog.objects.filter(object_type="registry.person").exists()
    assert Person.objects.filter(pk=person.pk).exists()
