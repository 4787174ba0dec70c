"""A talent edits her own record: contact fields at once, verified fields through the office.

Personas (see conftest): tina talent (record owned by bob) · alice office · bob specialist ·
carol another specialist (not tina's) · dave housing department handler.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from talentpark.core.codes import Degree, ProfessionalTitle
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog
from talentpark.registry import services
from talentpark.registry.models import ProfileChange, Talent

pytestmark = pytest.mark.django_db


def _ctx(user: Any) -> ActionContext:
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id)


def _fresh(world: Any) -> Talent:
    return Talent.objects.select_related("person").get(pk=world.talent.pk)


def test_contact_fields_apply_at_once_and_verified_fields_wait_for_the_office(world) -> None:
    talent = _fresh(world)
    old_phone = talent.person.phone.plaintext_for_processing()
    applied, change = services.update_own_profile(
        _ctx(world.tina),
        talent,
        {
            "email": "tang.na@example.com",
            "housing": Talent.Housing.APARTMENT,
            "highest_degree": Degree.BOSHI,
            "professional_title": ProfessionalTitle.VICE_SENIOR,
            "phone": "13912345678",
        },
        note="已取得博士学位",
    )
    assert applied == ["email", "housing"]
    talent = _fresh(world)
    # applied at once
    assert talent.person.email == "tang.na@example.com"
    assert talent.housing == Talent.Housing.APARTMENT
    # kept until approved
    assert talent.person.highest_degree != Degree.BOSHI
    assert talent.professional_title != ProfessionalTitle.VICE_SENIOR
    assert talent.person.phone.plaintext_for_processing() == old_phone
    assert change is not None and change.status == ProfileChange.Status.PENDING
    assert change.changes == {
        "highest_degree": Degree.BOSHI,
        "professional_title": ProfessionalTitle.VICE_SENIOR,
    }
    assert change.new_phone.plaintext_for_processing() == "13912345678"
    assert old_phone not in str(change.previous)  # the old phone is kept masked for the reviewer
    rows = AuditLog.objects.filter(action="talent.profile.update", object_id=str(talent.pk))
    assert rows.count() == 1
    assert "13912345678" not in str(rows.get().after) and old_phone not in str(rows.get().before)


def test_approving_applies_the_change_and_rejecting_keeps_the_old_value(world) -> None:
    talent = _fresh(world)
    _, change = services.update_own_profile(
        _ctx(world.tina), talent, {"highest_degree": Degree.BOSHI, "phone": "13912345678"}
    )
    assert change is not None
    services.review_profile_change(_ctx(world.alice), change, approve=True)
    talent = _fresh(world)
    assert talent.person.highest_degree == Degree.BOSHI
    assert talent.person.phone.plaintext_for_processing() == "13912345678"
    # the blind index follows the new phone: the record is found by it
    from talentpark.core.crypto import blind_index

    assert talent.person.phone_hash == blind_index("13912345678", "phone")
    change.refresh_from_db()
    assert change.status == ProfileChange.Status.APPROVED and change.reviewed_by == world.alice
    assert AuditLog.objects.filter(action="talent.profile.approve", object_id=str(talent.pk)).count() == 1

    _, second = services.update_own_profile(
        _ctx(world.tina), talent, {"professional_title": ProfessionalTitle.SENIOR}
    )
    assert second is not None
    with pytest.raises(ValidationError) as exc:
        services.review_profile_change(_ctx(world.alice), second, approve=False, note="")
    assert exc.value.message_dict["review_note"] == ["审核意见：退回时必填，将告知申请人"]
    services.review_profile_change(_ctx(world.alice), second, approve=False, note="请上传职称证书")
    assert _fresh(world).professional_title == talent.professional_title  # old value kept
    second.refresh_from_db()
    assert second.status == ProfileChange.Status.REJECTED and second.review_note == "请上传职称证书"
    with pytest.raises(ValidationError) as again:
        services.review_profile_change(_ctx(world.alice), second, approve=True)
    assert "不能再次审核" in again.value.message_dict["status"][0]


def test_bad_input_saves_nothing_and_names_each_field(world) -> None:
    talent = _fresh(world)
    before_email = talent.person.email
    audits = AuditLog.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.update_own_profile(
            _ctx(world.tina),
            talent,
            {
                "email": "not-an-email",
                "phone": "12345",
                "highest_degree": "99",
                "employer": str(world.foreign_enterprise.pk),  # another zone's enterprise
                "tier": "A",  # never hers to set
            },
        )
    errors = exc.value.message_dict
    assert errors["email"] == ["电子邮箱：格式不正确，应如 name@example.com"]
    assert errors["phone"][0].startswith("手机号码：")
    assert errors["highest_degree"] == ["最高学历：“99”不是有效选项"]
    assert errors["employer"] == ["工作单位：不是本园区登记的企业"]
    assert errors["tier"] == ["tier：不允许修改该字段"]
    assert _fresh(world).person.email == before_email
    assert ProfileChange.objects.count() == 0 and AuditLog.objects.count() == audits


def test_one_pending_request_at_a_time(world) -> None:
    talent = _fresh(world)
    services.update_own_profile(_ctx(world.tina), talent, {"highest_degree": Degree.BOSHI})
    with pytest.raises(ValidationError) as exc:
        services.update_own_profile(
            _ctx(world.tina), talent, {"professional_title": ProfessionalTitle.SENIOR, "email": "a@b.cn"}
        )
    assert exc.value.message_dict["changes"] == ["档案变更申请：已有一项待人才办审核，审核完成后才能再次提交"]
    assert _fresh(world).person.email != "a@b.cn"  # whole or nothing
    # contact fields alone still apply while a request is pending
    applied, change = services.update_own_profile(_ctx(world.tina), talent, {"email": "a@b.cn"})
    assert applied == ["email"] and change is None
    assert ProfileChange.objects.filter(status=ProfileChange.Status.PENDING).count() == 1


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db(transaction=True)
def test_the_office_queue_is_scoped_and_reviews_through_the_page(world) -> None:
    talent = _fresh(world)
    _, change = services.update_own_profile(
        _ctx(world.tina), talent, {"professional_title": ProfessionalTitle.VICE_SENIOR}
    )
    assert change is not None
    queue = reverse("registry:profile_change_list")
    review = reverse("registry:profile_change_review", args=[change.pk])
    expected = {"alice": 200, "bob": 200, "carol": 200, "dave": 403, "tina": 403, "erin": 403}
    for persona, status in expected.items():
        response = _client(getattr(world, persona)).get(queue)
        assert response.status_code == status, persona
        if status == 200:
            # carol is not tina's specialist: her queue does not hold tina's request
            assert ("唐娜" in response.content.decode()) == (persona != "carol"), persona
    html = _client(world.alice).get(queue).content.decode()
    assert "专业技术职称" in html and "副高级" in html
    assert _client(world.carol).post(review, {"decision": "approve"}).status_code == 404
    assert _client(world.tina).post(review, {"decision": "approve"}).status_code == 403
    response = _client(world.bob).post(review, {"decision": "approve"})
    assert response.status_code == 302
    assert _fresh(world).professional_title == ProfessionalTitle.VICE_SENIOR
