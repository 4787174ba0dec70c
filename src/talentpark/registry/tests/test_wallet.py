"""材料库 (document wallet): upload once, type by content, size limit, stored once, sealed at rest,
downloads only for her and the staff whose scope covers her, each read audited.

Personas (see ``conftest.py``): alice office · bob specialist owning tina · carol another
specialist · dave department handler (住建局, its own data scope) · erin HR · tina talent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from talentpark.accounts.roles import Role
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog
from talentpark.registry import wallet
from talentpark.registry.models import Document
from talentpark.registry.tests.factories import TalentFactory, UserFactory

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n% diploma of tina 2019 \n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64  # a Windows executable


def ctx(user: Any) -> ActionContext:
    return ActionContext(user=user, role=user.role, zone_id=user.zone_id)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_files() -> list[Path]:
    folder = Path(settings.VAR_DIR) / "wallet"
    return sorted(folder.glob("*.bin")) if folder.exists() else []


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# -- the service -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_upload_stores_the_file_sealed_once_with_one_audit_row(world) -> None:
    before = set(stored_files())
    doc, created = wallet.upload_document(
        ctx(world.tina), world.talent, upload("博士学位证书.pdf", PDF), kind=Document.Kind.DIPLOMA
    )
    assert created and doc.pk
    assert (doc.zone_id, doc.talent_id, doc.kind) == (world.zone.pk, world.talent.pk, "diploma")
    assert doc.title == "博士学位证书" and doc.size == len(PDF) and doc.content_type == "application/pdf"
    assert doc.uploaded_by == world.tina and len(doc.sha256) == 64
    new = set(stored_files()) - before
    assert len(new) == 1
    sealed = new.pop().read_bytes()
    assert b"diploma of tina" not in sealed and not sealed.startswith(b"%PDF")  # encrypted at rest
    assert str(settings.MEDIA_ROOT) not in str(wallet.wallet_dir())  # not under a public media URL
    assert wallet.read_document(ctx(world.tina), doc) == PDF
    rows = AuditLog.objects.filter(action="registry.document.upload", object_id=str(doc.pk))
    assert rows.count() == 1


@pytest.mark.django_db
def test_the_same_file_twice_is_stored_once(world) -> None:
    first, created = wallet.upload_document(ctx(world.tina), world.talent, upload("a.pdf", PDF))
    files = stored_files()
    again, created_again = wallet.upload_document(ctx(world.tina), world.talent, upload("copy-of-a.pdf", PDF))
    assert created and not created_again and again.pk == first.pk
    assert Document.objects.filter(talent=world.talent).count() == 1
    assert stored_files() == files
    assert AuditLog.objects.filter(action="registry.document.upload").count() == 1
    # Another file is another document.
    wallet.upload_document(ctx(world.tina), world.talent, upload("photo.png", PNG))
    assert Document.objects.filter(talent=world.talent).count() == 2


@pytest.mark.django_db
def test_oversize_is_refused_in_chinese_and_nothing_is_saved(world) -> None:
    files = stored_files()
    with override_settings(TALENTPARK_WALLET_MAX_BYTES=1024):
        with pytest.raises(ValidationError) as exc:
            wallet.upload_document(ctx(world.tina), world.talent, upload("big.pdf", PDF + b"0" * 2000))
        assert exc.value.message_dict["file"] == ["材料文件：文件过大（不能超过 1 KB）"]
        # Just under the limit passes.
        doc, _ = wallet.upload_document(ctx(world.tina), world.talent, upload("ok.pdf", PDF))
    assert Document.objects.filter(talent=world.talent).count() == 1 and doc.size == len(PDF)
    assert len(stored_files()) == len(files) + 1


@pytest.mark.django_db
def test_the_type_is_checked_by_content_not_by_extension(world) -> None:
    files = stored_files()
    with pytest.raises(ValidationError) as exc:
        wallet.upload_document(ctx(world.tina), world.talent, upload("毕业证.pdf", EXE))
    (message,) = exc.value.message_dict["file"]
    assert message.startswith("材料文件：") and "PDF、JPG 或 PNG" in message
    for name, data in (("empty.pdf", b""), ("page.jpg", b"<html>not an image</html>")):
        with pytest.raises(ValidationError):
            wallet.upload_document(ctx(world.tina), world.talent, upload(name, data))
    assert not Document.objects.exists() and stored_files() == files
    assert not AuditLog.objects.filter(action="registry.document.upload").exists()
    # A real JPEG called ".exe" is a JPEG: the name's extension is ignored.
    doc, _ = wallet.upload_document(ctx(world.tina), world.talent, upload("scan.exe", JPEG))
    assert doc.content_type == "image/jpeg" and doc.extension == ".jpg"


@pytest.mark.django_db
def test_bad_kind_and_title_are_named_and_nothing_saved(world) -> None:
    with pytest.raises(ValidationError) as exc:
        wallet.upload_document(
            ctx(world.tina), world.talent, upload("a.pdf", PDF), kind="weird", title="长" * 121
        )
    assert set(exc.value.message_dict) == {"kind", "title"}
    assert exc.value.message_dict["kind"] == ["材料类别：请选择列表中的类别"]
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_document_is_deleted_with_its_file_and_audited(django_capture_on_commit_callbacks, world) -> None:
    doc, _ = wallet.upload_document(ctx(world.tina), world.talent, upload("a.pdf", PDF))
    path = wallet._path(doc.storage_name)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        wallet.delete_document(ctx(world.tina), doc)
    assert not Document.objects.filter(pk=doc.pk).exists() and not path.exists()
    assert AuditLog.objects.filter(action="registry.document.delete").count() == 1


# -- the pages ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_her_wallet_page_uploads_lists_and_downloads(world) -> None:
    tina = client_for(world.tina)
    page = tina.get(reverse("registry:wallet"))
    assert page.status_code == 200 and "我的材料库" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    response = tina.post(
        reverse("registry:wallet_upload"),
        {"kind": "contract", "title": "劳动合同2025", "file": upload("contract.pdf", PDF)},
    )
    assert response.status_code == 302
    doc = Document.objects.get(talent=world.talent)
    assert (doc.kind, doc.title) == ("contract", "劳动合同2025")
    listing = tina.get(reverse("registry:wallet")).content.decode()
    assert "劳动合同2025" in listing and reverse("registry:document_download", args=[doc.pk]) in listing
    download = tina.get(reverse("registry:document_download", args=[doc.pk]))
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"] and "no-store" in download["Cache-Control"]
    # A wrong file on the page: a Chinese message naming the field, status 400, nothing saved.
    bad = tina.post(reverse("registry:wallet_upload"), {"kind": "diploma", "file": upload("x.pdf", EXE)})
    assert bad.status_code == 400 and "材料文件：文件内容不是" in bad.content.decode()
    assert Document.objects.filter(talent=world.talent).count() == 1


@pytest.mark.django_db(transaction=True)
def test_only_she_and_staff_whose_scope_covers_her_download(world) -> None:
    doc, _ = wallet.upload_document(ctx(world.tina), world.talent, upload("a.pdf", PDF))
    url = reverse("registry:document_download", args=[doc.pk])
    other_login = UserFactory(username="olga", role=Role.TALENT, zone=None)
    TalentFactory(zone=world.zone, person__name="欧佳", person__user=other_login)
    expected = {
        "tina": 200,
        "alice": 200,  # the office, all of the zone
        "bob": 200,  # her specialist
        "carol": 404,  # another specialist: tina is outside her data scope
        "dave": 404,  # the 住建局 handler: outside his department's scope
        "erin": 403,  # HR of her employer: no access to the wallet at all
        "pat": 403,
        "paul": 403,
    }
    for persona, status in expected.items():
        assert client_for(getattr(world, persona)).get(url).status_code == status, persona
    assert client_for(other_login).get(url).status_code == 404  # another talent
    reads = AuditLog.objects.filter(action="registry.document.download", object_id=str(doc.pk))
    assert sorted(reads.values_list("actor__username", flat=True)) == ["alice", "bob", "tina"]
    # Nor may anyone but her delete it, nor list or upload into her wallet.
    for persona in ("alice", "bob", "erin"):
        client = client_for(getattr(world, persona))
        assert client.post(reverse("registry:document_delete", args=[doc.pk])).status_code == 403, persona
        assert client.get(reverse("registry:wallet")).status_code == 403, persona
    assert client_for(other_login).post(reverse("registry:document_delete", args=[doc.pk])).status_code == 404
    assert Document.objects.filter(pk=doc.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_another_zones_document_is_not_reached(world) -> None:
    foreign_login = UserFactory(username="fay", role=Role.TALENT, zone=None)
    world.foreign_talent.person.user = foreign_login
    world.foreign_talent.person.save()
    doc, _ = wallet.upload_document(ctx(foreign_login), world.foreign_talent, upload("a.pdf", PDF))
    for persona in ("alice", "bob", "tina"):
        url = reverse("registry:document_download", args=[doc.pk])
        assert client_for(getattr(world, persona)).get(url).status_code == 404, persona
    # An office of zone A cannot write into zone B's wallet either.
    with pytest.raises(ValidationError):
        wallet.upload_document(ctx(world.alice), world.foreign_talent, upload("b.png", PNG))
