"""一次申报 — declare once: the profile and the 材料库 are the single source of every application form.

She applies to a first 申报类 policy giving what her profile lacked (a bank account, ticked to be
saved back) and the materials (uploaded on the form: they land in her 材料库); the second
policy's form is then complete as it is rendered: submitting exactly what the browser would send
without her typing anything is accepted.

Personas (see ``conftest.py``): alice office · dave 住建局 handler (level 1 of a 2-level policy,
his data scope does not cover tina) · tina talent · erin HR.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog
from talentpark.policies import redemption, runs
from talentpark.policies.models import Claim, ClaimDocument, Policy
from talentpark.policies.tests.factories import AS_OF, make_policy, make_version
from talentpark.policies.tests.pagekit import GOOD_ACCOUNT, client_for, make_phd
from talentpark.registry import wallet
from talentpark.registry.models import Document, Person

S = Claim.Status
PDF = b"%PDF-1.7\n% tina's doctorate diploma\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 64


class _FormDefaults(HTMLParser):
    """What a browser submits for one form when nobody touches it: text and hidden inputs with
    their values, checked radios and checkboxes, each select's selected (or first) option."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.found = action, False, False
        self.values: dict[str, str] = {}
        self.visible: list[str] = []  # names of the fields she could type into
        self._select: str | None = None
        self._first: str | None = None
        self._chosen: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
            self.found = self.found or self.inside
        if not self.inside:
            return
        if tag == "input":
            kind, name = a.get("type", "text"), a.get("name", "")
            if not name or kind in ("file", "submit"):
                return
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
                return
            self.values[name] = a.get("value", "")
            if kind != "hidden":
                self.visible.append(name)
        elif tag == "select":
            self._select, self._first, self._chosen = a.get("name", ""), None, None
        elif tag == "option" and self._select is not None:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a:
                self._chosen = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            value = self._chosen if self._chosen is not None else self._first
            self.values[self._select] = value or ""
            self._select = None
        elif tag == "form":
            self.inside = False


def form_defaults(client: Client, claim: Claim) -> dict[str, str]:
    page = client.get(reverse("policies:claim_detail", args=[claim.pk]))
    assert page.status_code == 200
    parser = _FormDefaults(reverse("policies:claim_confirm", args=[claim.pk]))
    parser.feed(page.content.decode())
    assert parser.found, "the claim page has no application form"
    data = dict(parser.values)
    data.pop("csrfmiddlewaretoken", None)
    return data


def _publish(world: Any, title: str, materials: str, levels: int = 1) -> Claim:
    policy = make_policy(
        world.zone, title=title, mode=Policy.Mode.APPLY, materials=materials, approval_levels=levels
    )
    version = make_version(policy)
    runs.publish(ActionContext(user=world.alice, role="office", zone_id=world.zone.pk), version, AS_OF)
    claim = Claim.objects.get(policy=policy, talent=world.talent)
    assert claim.status == S.APPLYING
    return claim


def _no_account(world: Any) -> None:
    """Tina holds a doctorate; her profile has no bank account yet."""
    make_phd(world, account=None)
    Person.objects.filter(pk=world.talent.person_id).update(bank_name="")


@pytest.mark.django_db(transaction=True)
def test_a_second_form_needs_nothing_she_already_gave(world) -> None:
    _no_account(world)
    tina = client_for(world, "tina")
    first = _publish(world, "博士安家补贴", "学历学位证书\n劳动合同", levels=2)

    # The first form cannot be complete: her profile lacks the account and she has no materials.
    untouched = form_defaults(tina, first)
    refused = tina.post(reverse("policies:claim_confirm", args=[first.pk]), untouched)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert (
        "银行账号：请填写收款银行账号" in body
        and "学历学位证书：请填写材料说明，或从材料库选用、上传文件" in body
    )
    assert Claim.objects.get(pk=first.pk).status == S.APPLYING

    # She types the account (ticking 保存到我的档案) and uploads both materials on the form.
    data = {
        **untouched,
        "bank_name": "中国银行济宁分行",
        "bank_account": GOOD_ACCOUNT,
        "save_account": "1",
        "f0": SimpleUploadedFile("学位证.pdf", PDF),
        "f1": SimpleUploadedFile("合同扫描.jpg", JPEG),
    }
    response = tina.post(reverse("policies:claim_confirm", args=[first.pk]), data)
    assert response.status_code == 302, response.content.decode()
    first.refresh_from_db()
    assert first.status == S.REVIEWING
    assert first.bank_account.plaintext_for_processing() == GOOD_ACCOUNT  # type: ignore[union-attr]
    wallet_docs = {d.kind: d for d in Document.objects.filter(talent=world.talent)}
    assert set(wallet_docs) == {"diploma", "contract"}  # the uploads landed in her 材料库
    attached = {c.material: c.document_id for c in ClaimDocument.objects.filter(claim=first)}
    assert attached == {"学历学位证书": wallet_docs["diploma"].pk, "劳动合同": wallet_docs["contract"].pk}
    person = Person.objects.get(pk=world.talent.person_id)
    assert person.bank_name == "中国银行济宁分行"
    assert person.bank_account.plaintext_for_processing() == GOOD_ACCOUNT  # type: ignore[union-attr]
    saveback = AuditLog.objects.get(action="talent.profile.saveback")
    assert GOOD_ACCOUNT not in str(saveback.after) and saveback.after["bank_account"].endswith("5679")

    # The second policy's form, as rendered, is complete: nothing typed, nothing uploaded.
    second = _publish(world, "青年人才生活补贴", "学历学位证书（复印件）\n劳动合同")
    prefilled = form_defaults(tina, second)
    assert prefilled["account"] == "profile"
    assert prefilled["d0"] == str(wallet_docs["diploma"].pk) and prefilled["d1"] == str(
        wallet_docs["contract"].pk
    )
    assert not any(prefilled.get(name) for name in ("bank_name", "bank_account", "m0", "m1"))
    response = tina.post(reverse("policies:claim_confirm", args=[second.pk]), prefilled)
    assert response.status_code == 302, response.content.decode()
    second.refresh_from_db()
    assert second.status == S.REVIEWING
    assert (second.payee_name, second.bank_name) == ("唐娜", "中国银行济宁分行")
    assert second.bank_account.plaintext_for_processing() == GOOD_ACCOUNT  # type: ignore[union-attr]
    assert {c.material: c.document_id for c in ClaimDocument.objects.filter(claim=second)} == {
        "学历学位证书（复印件）": wallet_docs["diploma"].pk,
        "劳动合同": wallet_docs["contract"].pk,
    }
    assert Document.objects.filter(talent=world.talent).count() == 2  # attached by reference, not copied

    # The reviewer sees the materials on the claim page and opens them through the claim, though
    # tina lies outside his data scope; each read is audited. Others cannot.
    dave = client_for(world, "dave")
    page = dave.get(reverse("policies:claim_detail", args=[first.pk])).content.decode()
    link = reverse(
        "policies:claimdocument_download",
        args=[ClaimDocument.objects.get(claim=first, material="学历学位证书").pk],
    )
    assert "申报材料" in page and link in page and "学位证" in page
    opened = dave.get(link)
    assert opened.status_code == 200 and opened.content == PDF
    assert (
        dave.get(reverse("registry:document_download", args=[wallet_docs["diploma"].pk])).status_code == 404
    )
    assert AuditLog.objects.filter(action="registry.document.download", actor=world.dave).count() == 1
    assert client_for(world, "carol").get(link).status_code == 404
    assert client_for(world, "erin").get(link).status_code == 404

    # A document a submitted application refers to is kept: deleting it is refused.
    kept = tina.post(reverse("registry:document_delete", args=[wallet_docs["diploma"].pk]))
    assert kept.status_code == 400 and "已被提交的申报引用，不能删除" in kept.content.decode()
    assert Document.objects.filter(pk=wallet_docs["diploma"].pk).exists()


@pytest.mark.django_db(transaction=True)
def test_without_her_tick_the_account_is_not_saved_to_the_profile(world) -> None:
    _no_account(world)
    tina = client_for(world, "tina")
    claim = _publish(world, "博士安家补贴", "")
    data = {**form_defaults(tina, claim), "bank_name": "中国银行济宁分行", "bank_account": GOOD_ACCOUNT}
    assert "save_account" not in data  # the box starts unticked: consent is hers to give
    response = tina.post(reverse("policies:claim_confirm", args=[claim.pk]), data)
    assert response.status_code == 302, response.content.decode()
    person = Person.objects.get(pk=world.talent.person_id)
    assert person.bank_account is None and person.bank_name == ""
    assert not AuditLog.objects.filter(action="talent.profile.saveback").exists()


@pytest.mark.django_db
def test_a_bad_upload_on_the_form_names_the_material_and_submits_nothing(world) -> None:
    make_phd(world)
    claim = _publish(world, "博士安家补贴", "学历学位证书")
    response = client_for(world, "tina").post(
        reverse("policies:claim_confirm", args=[claim.pk]),
        {"account": "profile", "f0": SimpleUploadedFile("学位证.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert response.status_code == 400
    assert "学历学位证书：文件内容不是 PDF、JPG 或 PNG" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == S.APPLYING
    assert not Document.objects.exists() and not ClaimDocument.objects.exists()


@pytest.mark.django_db
def test_a_document_of_another_talent_cannot_be_attached(world) -> None:
    make_phd(world)
    claim = _publish(world, "博士安家补贴", "学历学位证书")
    ctx_carol = ActionContext(user=world.alice, role="office", zone_id=world.zone.pk)
    theirs, _ = wallet.upload_document(ctx_carol, world.carols_talent, SimpleUploadedFile("x.pdf", PDF))
    tina = ActionContext(user=world.tina, role="talent", zone_id=None)
    with pytest.raises(Exception) as exc:
        redemption.confirm_claim(tina, claim, redemption.Confirmation(documents={"m0": theirs.pk}))
    assert "所选文件不在您的材料库中" in str(exc.value)
    assert not ClaimDocument.objects.exists() and Claim.objects.get(pk=claim.pk).status == S.APPLYING


@pytest.mark.django_db
def test_a_specialist_confirming_on_her_behalf_cannot_save_to_her_profile(world) -> None:
    make_phd(world, account=None)
    claim = _publish(world, "博士安家补贴", "")
    bob = ActionContext(user=world.bob, role="specialist", zone_id=world.zone.pk, reason="电话确认本人意愿")
    data = redemption.Confirmation(
        use_profile_account=False, bank_name="中国银行", bank_account=GOOD_ACCOUNT, save_account=True
    )
    with pytest.raises(Exception) as exc:
        redemption.confirm_claim(bob, claim, data)
    assert "只有本人可以把账户保存到自己的档案" in str(exc.value)
    assert Person.objects.get(pk=world.talent.person_id).bank_account is None
