"""Zones are sealed: nothing in zone A reads, changes or links what zone B holds.

The model (see ``registry/models/people.py``): a human known to two zones is two
``Person`` rows sharing only the blind index of her ID number. These tests try every
zone-owned model across the demo's two zones (济宁 and 长治) for every role of zone A,
through the permission layer, the list and detail pages, the API, and every page that
takes a record id (GET and POST), and then check that zone B's rows did not change.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from talentpark.accounts.models import User
from talentpark.accounts.roles import Role
from talentpark.core import access
from talentpark.core.models import Zone
from talentpark.demo.generator import generate
from talentpark.registry.models import Education, FamilyMember, Person, Talent

MAIN, SECOND = "jining-hitech", "changzhi-hitech"
ACTIONS = ("view", "change", "change_self", "approve", "pay", "own", "import", "handle")
# Zone-owned rows the tiny demo leaves empty in the second zone (each tested elsewhere).
EMPTY_IN_SECOND_ZONE = {
    "registry.ImportJob",  # written by an office's import, see test_import_matches_only_its_own_zone
    "core.SearchDocument",
    "registry.ProfileChange",  # a talent's request, see registry/tests/test_profile_changes.py
    "signup.EnterpriseRegistration",  # an enterprise's own request, see signup/tests/test_signup.py
    "policies.PolicyAttachment",  # uploaded by an office, see policies/tests/test_policy_authoring.py
    "core.ZoneVersion",  # moved on commit, which a test transaction never reaches (core/tests/test_zone_versions.py)
    "accounts.UserSession",  # a live sign-in; zone B's office cannot end zone A's (accounts/tests/test_sessions.py)
    "core.Dictionary",  # an office's own list, see core/tests/test_dictionaries.py (zone B's office gets 404)
    "core.DictionaryItem",
    "core.CodeSynonym",  # an office's own spellings, see core/tests/test_dictionaries.py (zone B's office gets 404)
    "core.ScheduledJob",  # the demo schedules platform-wide jobs only (core/tests/test_scheduling.py)
    "talentcode.IssuedToken",  # issued when her code page is opened (talentcode/tests/test_partner_flow.py)
    "registry.Document",  # a talent's 材料库 upload, see registry/tests/test_wallet.py (zone B's is 404)
    "policies.ClaimDocument",  # attached when she submits, see policies/tests/test_declare_once.py
}
# Zone-owned models nobody reaches through the permission layer (no page or API lists them).
NOT_USER_FACING = {
    "core.Announcement": "managed on the office's 通知公告 pages of its zone; read on its audience's homes",
    "core.Notice": "read only by its recipient, in her 站内信 (core.notify.live)",
    "core.ZoneVersion": "a count of committed changes, read only by cached pages (core/zone_versions.py)",
    "core.AuditLog": "read through the office's 操作日志 page, filtered to the user's zone",
    "core.SearchDocument": "read only through each kind's own scope (see core/search)",
    "registry.Education": "shown only under its person, whose scope is tested",
    "registry.FamilyMember": "shown only under its person, whose scope is tested",
    "core.CodeSynonym": "national or zone spellings, edited on 字典管理 of the office's own zone (core/config_views.py)",
    "core.Dictionary": "字典管理 of the office's own zone or the platform's (core/config_views.py; core/tests/test_dictionaries.py)",
    "registry.ProfileChange": "read only through the talents in the user's scope (accounts/profile.py)",
    "registry.EnterpriseChainRole": "shown only under its enterprise or chain, each scoped",
    "policies.Certification": "shown only under its talent, whose scope is tested",
    "policies.ApprovalLevel": "configuration of its policy, edited on the office's policy page",
    "talentcode.IssuedToken": "shown only to its talent, on her own code page (talentcode.services.current_token)",
    "talentcode.PartnerConsent": "set and read by its talent on her code page; applied by verification",
    "talentcode.PartnerAccount": "resolved for the signed-in partner login only (talentcode.services.account_of)",
    "talentcode.PartnerWindow": "shown only under its partner, whose scope is tested",
    "policies.ClaimDocument": "shown only on its claim's page and opened through the claim's scope",
    "desk.Clock": "shown only on its request's, part's or assignment's page, and counted in the office's reports",
    "desk.Step": "shown only on its request's page, through desk.access.step_scope",
    "desk.ServiceItem": "shown only under its assignment, whose scope is tested",
    "desk.VisitIssue": "shown only under its visit, whose scope is tested",
    "desk.SpecialistProfile": "read for the office's caseload page and suggestions of its own zone",
}


def _zone_owned() -> list[type[models.Model]]:
    out = []
    for model in apps.get_models():
        if not model.__module__.startswith("talentpark."):
            continue
        field = next((f for f in model._meta.concrete_fields if f.name == "zone"), None)
        if field is not None and field.related_model is Zone:
            out.append(model)
    return out


def _fingerprint(zone: Zone) -> str:
    """A digest of every zone-owned row of ``zone`` (and its persons' rows)."""
    h = hashlib.sha256()
    for model in sorted(_zone_owned(), key=lambda m: m._meta.label):
        if model._meta.label in ("core.AuditLog", "core.SearchDocument"):
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in ("updated_at",)]
        for row in model._default_manager.filter(zone=zone).order_by("pk").values_list(*names):
            h.update(repr(row).encode())
    return h.hexdigest()


@pytest.fixture
def demo(db):
    generate("tiny", 20260101, progress=False, stdout=io.StringIO())
    main, second = Zone.objects.get(code=MAIN), Zone.objects.get(code=SECOND)
    users = {}
    for role in Role:
        if role == Role.PROVINCE:
            continue
        if role == Role.TALENT:
            user = User.objects.filter(role=role, person__zone=main).order_by("pk").first()
        else:
            user = User.objects.filter(role=role, zone=main).order_by("pk").first()
        assert user is not None, role
        users[role] = user
    return main, second, users


def test_the_permission_layer_keeps_every_zone_owned_model_in_its_zone(demo):
    """Generating a zone takes a while, so one test walks the model, the data and the scopes."""
    main, second, users = demo
    # Persons are zone-owned; people who moved between the zones have one row in each.
    assert not Talent.objects.exclude(zone=models.F("person__zone")).exists()
    assert not Education.objects.exclude(zone=models.F("person__zone")).exists()
    assert not FamilyMember.objects.exclude(zone=models.F("person__zone")).exists()
    shared = set(Person.objects.filter(zone=main).values_list("id_number_hash", flat=True)) & set(
        Person.objects.filter(zone=second).values_list("id_number_hash", flat=True)
    )
    assert len(shared) >= 5  # people who moved between the zones: one row in each
    assert not Person.objects.filter(zone=second, id_number_hash__in=shared, user__isnull=False).exists()

    # Every zone-owned model has rows in zone B to try, and a registered scope.
    for model in _zone_owned():
        label = model._meta.label
        zone_field = model._meta.get_field("zone")
        if label not in EMPTY_IN_SECOND_ZONE and not zone_field.null:  # nullable: a national default
            assert model._default_manager.filter(zone=second).exists(), label
        if label not in NOT_USER_FACING:
            assert model in access._SCOPES, f"{label}: no access scope registered"
    # No role of zone A reaches a row of zone B, whatever the action.
    for model in _zone_owned():
        if model not in access._SCOPES:
            continue
        theirs = model._default_manager.filter(zone=second)
        for role, user in users.items():
            for action in ACTIONS:
                leaked = access.restrict(theirs, user, action).values_list("pk", flat=True)[:3]
                assert not list(leaked), (model._meta.label, role, action)
    for role, user in users.items():
        people = access.restrict(Person.objects.filter(zone=second), user, "view")
        assert not people.exists(), role


def _listings() -> list[Any]:
    from talentpark.accounts.pages import LISTINGS as accounts_listings
    from talentpark.desk.pages import LISTINGS as desk_listings
    from talentpark.housing.pages import LISTINGS as housing_listings
    from talentpark.innovation.pages import LISTINGS as innovation_listings
    from talentpark.policies.pages import LISTINGS as policies_listings
    from talentpark.recruitment.pages import LISTINGS as recruitment_listings
    from talentpark.registry.pages import LISTINGS as registry_listings
    from talentpark.talentcode.pages import LISTINGS as talentcode_listings

    return [
        *registry_listings,
        *policies_listings,
        *recruitment_listings,
        *housing_listings,
        *innovation_listings,
        *accounts_listings,
        *talentcode_listings,
        *desk_listings,
    ]


def _zone_of(model: type[models.Model]) -> str | None:
    if any(f.name == "zone" for f in model._meta.concrete_fields):
        return "zone"
    for path in (
        "policy__zone",
        "talent__zone",
        "claim__zone",
        "version__policy__zone",
        "dictionary__zone",
        "application__zone",
        "fair__zone",
    ):
        try:
            model._default_manager.filter(**{path: None})
            return path
        except Exception:  # noqa: S112 - the path does not exist on this model
            continue
    return None


# Routes taking more than the record's id: the other arguments, the most harmful value first.
ROUTE_EXTRA_ARGS = {
    ("core", "dictionary_item_action"): ["disable"],
    ("desk", "part_action"): ["complete"],
    ("desk", "assignment_action"): ["reassign"],
    ("recruitment", "post_action"): ["close"],
}


def _pk_routes() -> list[tuple[str, str]]:
    out = []

    def walk(patterns: Any, prefix: str = "", namespace: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif (
                isinstance(p, URLPattern) and "<int:pk>" in str(p.pattern) and not prefix.startswith("admin")
            ):
                out.append((namespace, p.name or ""))
                extra = str(p.pattern).count("<") - 1
                assert extra == len(ROUTE_EXTRA_ARGS.get(out[-1], [])), (
                    f"{out[-1]}: add it to ROUTE_EXTRA_ARGS"
                )

    walk(get_resolver().url_patterns)
    return out


def _model_for(namespace: str, name: str) -> type[models.Model] | None:
    head = name.split("_")[0]
    for listing in _listings():
        if listing.namespace == namespace and listing.slug == head:
            return listing.model
    for model in apps.get_app_config(namespace).get_models() if namespace in apps.app_configs else []:
        if model._meta.model_name == head:
            return model
    return None


# Routes whose record is not named by the first word of the URL name.
ROUTE_MODELS = {
    ("registry", "import_job"): "registry.ImportJob",
    ("registry", "import_progress"): "registry.ImportJob",
    ("registry", "import_commit"): "registry.ImportJob",
    ("registry", "import_cancel"): "registry.ImportJob",
    ("registry", "import_marked"): "registry.ImportJob",
    ("registry", "profile_change_review"): "registry.ProfileChange",
    ("signup", "registration_review"): "signup.EnterpriseRegistration",
    ("policies", "entry_reverse"): "policies.LedgerEntry",
    ("policies", "attachment_add"): "policies.Policy",
    ("policies", "attachment_download"): "policies.PolicyAttachment",
    ("policies", "attachment_remove"): "policies.PolicyAttachment",
    ("policies", "version_new"): "policies.Policy",
    ("policies", "rule_preview"): "policies.Policy",
    ("policies", "version_edit"): "policies.PolicyVersion",
    ("policies", "version_publish"): "policies.PolicyVersion",
    ("policies", "run_detail"): "policies.PublishRun",
    ("policies", "run_progress"): "policies.PublishRun",
    ("policies", "run_retry"): "policies.PublishRun",
    ("policies", "review_resolve"): "policies.ReviewRequest",
    ("policies", "claimdocument_download"): "policies.ClaimDocument",
    ("talentcode", "window_new"): "talentcode.Partner",
    ("talentcode", "service_new"): "talentcode.Partner",
    ("talentcode", "account_new"): "talentcode.Partner",
    ("talentcode", "window_edit"): "talentcode.PartnerWindow",
    ("talentcode", "service_edit"): "talentcode.GreenService",
    ("talentcode", "account_edit"): "talentcode.PartnerAccount",
    ("desk", "reply"): "desk.Request",
    ("desk", "rate"): "desk.Request",
    ("desk", "reopen"): "desk.Request",
    ("desk", "ask"): "desk.Request",
    ("desk", "complete"): "desk.Request",
    ("desk", "categorise"): "desk.Request",
    ("desk", "add_part"): "desk.Request",
    ("desk", "note"): "desk.Request",
    ("desk", "reassign"): "desk.Request",
    ("desk", "item_done"): "desk.ServiceItem",
    ("desk", "issue_to_request"): "desk.VisitIssue",
    ("recruitment", "job"): "recruitment.Position",
    ("recruitment", "apply"): "recruitment.Position",
    ("recruitment", "talents_for"): "recruitment.Position",
    ("recruitment", "post_edit"): "recruitment.Position",
    ("recruitment", "post_action"): "recruitment.Position",
    ("recruitment", "review_action"): "recruitment.Position",
    ("recruitment", "search_delete"): "recruitment.SavedSearch",
    ("recruitment", "withdraw"): "recruitment.Application",
    ("recruitment", "move"): "recruitment.Application",
    ("recruitment", "invite"): "recruitment.Application",
    ("recruitment", "pick_slot"): "recruitment.Interview",
    ("recruitment", "decline"): "recruitment.Interview",
    ("recruitment", "fair_register"): "recruitment.Fair",
    ("recruitment", "fair_booth"): "recruitment.Fair",
    ("recruitment", "fair_check_in"): "recruitment.Fair",
    ("recruitment", "fair_intend"): "recruitment.FairBooth",
    ("recruitment", "fair_apply"): "recruitment.FairBooth",
    ("recruitment", "demand_edit"): "recruitment.PersonnelDemand",
    ("recruitment", "demand_status"): "recruitment.PersonnelDemand",
    ("core", "inbox_open"): "core.Notice",
    ("core", "dictionary_item_edit"): "core.DictionaryItem",
    ("core", "synonym_change"): "core.CodeSynonym",
    ("core", "job_detail"): "core.ScheduledJob",
    ("core", "job_schedule"): "core.ScheduledJob",
    ("core", "job_enable"): "core.ScheduledJob",
    ("core", "job_disable"): "core.ScheduledJob",
    ("core", "job_run"): "core.ScheduledJob",
}


def test_pages_api_and_record_routes_of_zone_a_neither_show_nor_change_zone_b(demo):
    main, second, users = demo
    before = _fingerprint(second)
    for listing in _listings():
        path = _zone_of(listing.model)
        assert path, listing.model
        row = listing.model._default_manager.filter(**{path: second}).order_by("pk").first()
        assert row is not None, listing.slug
        detail = reverse(f"{listing.namespace}:{listing.slug}_detail", args=[row.pk])
        api = f"/api/{listing.namespace}/{listing.slug}s/{row.pk}"
        for role, user in users.items():
            client = Client()
            client.force_login(user)
            assert client.get(detail).status_code in (403, 404), (detail, role)
            status = client.get(api).status_code
            assert status in (403, 404), (api, role, status)
    # A zone-B person's name never appears in zone A's talent list or search.
    stranger = Talent.objects.filter(zone=second).select_related("person").order_by("pk").first()
    assert stranger is not None
    name = stranger.person.name
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        for url in (reverse("registry:talent_list") + f"?q={name}", reverse("search:page") + f"?q={name}"):
            response = client.get(url)
            if response.status_code == 200:
                body = response.content.decode()
                same_name_here = Talent.objects.filter(zone=main, person__name=name)
                assert name not in body or same_name_here.exists(), (url, role)

    # Every page taking a record id refuses zone B's records, by GET and by POST.
    tried = 0
    for namespace, name in _pk_routes():
        label = ROUTE_MODELS.get((namespace, name))
        model = apps.get_model(label) if label else _model_for(namespace, name)
        assert model is not None, f"{namespace}:{name}: add it to ROUTE_MODELS"
        path = _zone_of(model)
        assert path, model
        row = model._default_manager.filter(**{path: second}).order_by("pk").first()
        if row is None:
            assert model._meta.label in EMPTY_IN_SECOND_ZONE, model._meta.label
            continue
        url = reverse(f"{namespace}:{name}", args=[row.pk, *ROUTE_EXTRA_ARGS.get((namespace, name), [])])
        for role, user in users.items():
            client = Client()
            client.force_login(user)
            for method in (client.get, client.post):
                status = method(url).status_code
                assert status in (302, 403, 404, 405), (url, role, method.__name__, status)
                if status == 302:  # a redirect to the login page or a list, never to the record
                    assert str(row.pk) not in method(url)["Location"], (url, role)
                tried += 1
    assert tried > 50
    assert _fingerprint(second) == before


# -- each write path, with the small world of conftest ---------------------------------------


def _known_only_to_the_other_zone(world: Any) -> Person:
    """A person zone B knows, with her family and education; zone A has never heard of her."""
    from talentpark.core.models import University

    person = world.foreign_talent.person
    FamilyMember.objects.create(person=person, relation="spouse", name="外区配偶")
    Education.objects.create(
        person=person, degree="11", major="外区专业", university=University.objects.order_by("pk").first()
    )
    return person


@pytest.mark.django_db(transaction=True)
def test_an_import_row_with_another_zones_id_number_is_new_here_and_changes_nothing_there(world):
    from talentpark.registry.excel.tests.helpers import commit, talent_row, upload_job, workbook

    theirs = _known_only_to_the_other_zone(world)
    number = theirs.id_number.plaintext_for_processing()
    before = _fingerprint(world.other_zone)
    theirs_before = (theirs.name, theirs.name_pinyin, theirs.phone_hash, theirs.updated_at)
    client = Client()
    client.force_login(world.alice)
    job = upload_job(
        client,
        "talent",
        workbook([talent_row(id_number=number, name="改名者", sex=theirs.get_sex_display())]),
    )
    assert job.counts["new"] == 1 and job.counts["update"] == 0, job.counts
    commit(client, job)
    ours = Talent.objects.get(zone=world.zone, person__id_number_hash=theirs.id_number_hash)
    assert ours.person_id != theirs.pk and ours.person.zone_id == world.zone.pk
    assert ours.person.name == "改名者"
    theirs.refresh_from_db()
    assert (theirs.name, theirs.name_pinyin, theirs.phone_hash, theirs.updated_at) == theirs_before
    assert _fingerprint(world.other_zone) == before
    # This zone's record of her shows this zone's facts only.
    page = client.get(reverse("registry:talent_detail", args=[ours.pk])).content.decode()
    assert "外区配偶" not in page and "外区专业" not in page and theirs.name not in page


@pytest.mark.django_db(transaction=True)
def test_registering_and_editing_in_zone_a_leave_zone_b_alone(world):
    from talentpark.core.context import ActionContext
    from talentpark.registry.services import TalentInput, register_talent, update_enterprise

    theirs = _known_only_to_the_other_zone(world)
    before = _fingerprint(world.other_zone)
    ctx = ActionContext(user=world.alice, role=world.alice.role, zone_id=world.zone.pk)
    ours = register_talent(
        ctx,
        world.zone,
        TalentInput(
            name="本区登记",
            id_number=theirs.id_number.plaintext_for_processing(),
            phone="13700002222",
            zone_entry_date="2022-01-01",
        ),
    )
    assert ours.person_id != theirs.pk
    assert not ours.person.family.exists() and not ours.person.educations.exists()
    # The enterprise API and edit page of zone A cannot reach zone B's enterprise.
    client = Client()
    client.force_login(world.alice)
    foreign = world.foreign_enterprise
    answer = client.patch(
        f"/api/registry/enterprises/{foreign.pk}", {"address": "改到这里"}, content_type="application/json"
    )
    assert answer.status_code == 404
    page = client.post(reverse("registry:enterprise_edit", args=[foreign.pk]), {"address": "改到这里"})
    assert page.status_code == 404
    with pytest.raises(ValidationError) as refused:  # the service refuses too, not only the pages
        update_enterprise(ctx, foreign, {"address": "改到这里"})
    assert refused.value.message_dict["zone"] == ["园区：只能办理本园区的数据"]
    assert _fingerprint(world.other_zone) == before
