"""材料库 (document wallet) and the profile's save-back: a talent declares each thing once (一次申报).

* :func:`upload_document` — checks the size (``TALENTPARK_WALLET_MAX_BYTES``, 10 MB by default) and
  the type *by content* (PDF, JPEG, PNG; the name's extension is ignored), seals the bytes with the
  field keyring under ``var/wallet/`` and writes one row and one audit row, or nothing. The same
  file (same SHA-256) uploaded again by the same talent is the row she already has.
* :func:`read_document` — the plaintext bytes for a download, after the caller's permission check;
  each read is one audit row (who read whose material, for what).
* :func:`delete_document` — refused while a submitted application refers to the document
  (feature apps hold it with ``PROTECT``): the reviewer must still see what was submitted.
* :func:`save_payment_account` — a form's bank account offered back to the profile, with her consent.

Feature apps (policies, later the service desk) call these; they never open the files themselves.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from stdnum import luhn

from talentpark.core import audit, crypto
from talentpark.core.context import ActionContext
from talentpark.core.normalize import clean_text
from talentpark.core.validation import FieldErrors
from talentpark.registry.models import Document, Person, Talent
from talentpark.registry.services import own_zone_only

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_SEAL = b"TPW1"

# What a file is, by its first bytes. Nothing else is accepted, whatever the file is called.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
TYPE_LABELS = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPG"}

# A material's name → the kind of document that usually answers it (for the preselection).
KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (Document.Kind.DIPLOMA, ("学历", "学位", "毕业")),
    (Document.Kind.CONTRACT, ("劳动合同", "聘用合同", "合同")),
    (Document.Kind.CERTIFICATE, ("职称", "资格", "技能等级")),
    (Document.Kind.AWARD, ("获奖", "奖励", "荣誉")),
    (Document.Kind.SOCIAL, ("社保", "个税", "纳税")),
    (Document.Kind.IDENTITY, ("身份证",)),
)


def max_bytes() -> int:
    return int(getattr(settings, "TALENTPARK_WALLET_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(head: bytes) -> str | None:
    """The content type of a file from its first bytes, or None if it is none of the accepted ones."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def kind_for(material: str) -> str | None:
    """The document kind a material's name asks for (学历学位证书 → diploma), or None."""
    for kind, words in KIND_WORDS:
        if any(w in material for w in words):
            return str(kind)
    return None


# --------------------------------------------------------------------------- the bytes at rest


def wallet_dir() -> Path:
    path = Path(settings.VAR_DIR) / "wallet"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _path(storage_name: str) -> Path:
    return wallet_dir() / f"{storage_name}.bin"


def _aad(storage_name: str, sha256: str) -> bytes:
    return f"wallet:{storage_name}:{sha256}".encode()


def _seal(storage_name: str, sha256: str, data: bytes) -> None:
    """AES-GCM under the active field key, bound to the row; the key id travels in the header."""
    ring = crypto.keyring()
    nonce = os.urandom(12)
    kid = ring.active_kid.encode()
    sealed = AESGCM(ring.keys[ring.active_kid]).encrypt(nonce, data, _aad(storage_name, sha256))
    fd = os.open(_path(storage_name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(_SEAL + bytes([len(kid)]) + kid + nonce + sealed)


def _unseal(doc: Document) -> bytes:
    blob = _path(doc.storage_name).read_bytes()  # FileNotFoundError: the caller answers 404
    n = blob[4]
    kid, nonce, sealed = blob[5 : 5 + n].decode(), blob[5 + n : 17 + n], blob[17 + n :]
    key = crypto.keyring().keys.get(kid)
    if blob[:4] != _SEAL or key is None:
        raise crypto.DecryptionError("unknown wallet file format or key id")
    return AESGCM(key).decrypt(nonce, sealed, _aad(doc.storage_name, doc.sha256))


# --------------------------------------------------------------------------- operations


def _read_upload(upload: Any, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of an upload (enough to know it is too big)."""
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    return bytes(data)


def check_upload(upload: Any, field: str = "file", label: str = "材料文件") -> tuple[bytes, str] | None:
    """Validate an upload without saving it: (its bytes, its content type), or errors raised."""
    errors = FieldErrors()
    result = _checked(upload, errors, field, label)
    errors.raise_if_any()
    return result


def _checked(upload: Any, errors: FieldErrors, field: str, label: str) -> tuple[bytes, str] | None:
    if upload is None:
        errors.add(field, label, "请选择要上传的文件")
        return None
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        errors.add(field, label, f"文件过大（不能超过 {_megabytes(limit)}）")
        return None
    data = _read_upload(upload, limit)
    if not data:
        errors.add(field, label, "文件是空的")
        return None
    if len(data) > limit:
        errors.add(field, label, f"文件过大（不能超过 {_megabytes(limit)}）")
        return None
    content_type = sniff(data[:16])
    if content_type is None:
        errors.add(field, label, "文件内容不是 PDF、JPG 或 PNG（按文件内容判断，与扩展名无关）")
        return None
    return data, content_type


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def upload_document(
    ctx: ActionContext, talent: Talent, upload: Any, kind: str = "", title: str = ""
) -> tuple[Document, bool]:
    """Put a file into her 材料库. Returns (the document, created); the same bytes again are the
    document she already has (``created`` False, nothing stored twice)."""
    own_zone_only(ctx, talent.zone_id)
    errors = FieldErrors()
    kind = (kind or "").strip() or Document.Kind.OTHER
    if kind not in Document.Kind.values:
        errors.add("kind", "材料类别", "请选择列表中的类别")
    name = os.path.basename(str(getattr(upload, "name", "") or ""))
    title = clean_text(title or "") or clean_text(os.path.splitext(name)[0]) or str(Document.Kind(kind).label)
    if len(title) > 120:
        errors.add("title", "材料名称", "不能超过120字")
    checked = _checked(upload, errors, "file", "材料文件")
    errors.raise_if_any()
    assert checked is not None
    data, content_type = checked
    digest = hashlib.sha256(data).hexdigest()

    with transaction.atomic():
        Talent.objects.select_for_update().only("pk").get(pk=talent.pk)  # one upload of a talent at a time
        existing = Document.objects.filter(zone_id=talent.zone_id, talent=talent, sha256=digest).first()
        if existing is not None:
            return existing, False
        storage_name = uuid.uuid4().hex
        _seal(storage_name, digest, data)
        try:
            with transaction.atomic():
                doc = Document.objects.create(
                    zone_id=talent.zone_id,
                    talent=talent,
                    kind=kind,
                    title=title,
                    storage_name=storage_name,
                    sha256=digest,
                    size=len(data),
                    content_type=content_type,
                    uploaded_by=ctx.user,
                )
            audit.record(
                ctx,
                "registry.document.upload",
                doc,
                after={"talent": talent.pk, "kind": kind, "size": len(data), "type": content_type},
            )
        except IntegrityError:  # a concurrent upload of the same bytes (the lock makes this rare)
            _path(storage_name).unlink(missing_ok=True)
            return Document.objects.get(zone_id=talent.zone_id, talent=talent, sha256=digest), False
        except BaseException:
            _path(storage_name).unlink(missing_ok=True)
            raise
    return doc, True


def read_document(ctx: ActionContext, doc: Document, purpose: str = "") -> bytes:
    """The document's bytes for a download the caller has allowed; one audit row per read."""
    data = _unseal(doc)
    with transaction.atomic():
        audit.record(
            ctx,
            "registry.document.download",
            doc,
            after={"talent": doc.talent_id, "purpose": (purpose or ctx.reason or "")[:100]},
        )
    return data


def delete_document(ctx: ActionContext, doc: Document) -> None:
    """Remove a document from her 材料库 (row and file), unless a submitted application refers to it."""
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=doc.pk)
        before = {"talent": locked.talent_id, "kind": locked.kind, "title": locked.title, "size": locked.size}
        try:
            with transaction.atomic():
                locked.delete()
        except ProtectedError:
            raise ValidationError(
                {"document": ["材料：已被提交的申报引用，不能删除（审核人员需要查看原件）"]}
            ) from None
        audit.record(ctx, "registry.document.delete", None, before=before, zone_id=locked.zone_id)
        name = locked.storage_name
        transaction.on_commit(lambda: _path(name).unlink(missing_ok=True))


def documents_of(talent: Talent) -> Any:
    return Document.objects.filter(zone_id=talent.zone_id, talent=talent).order_by("-uploaded_at", "-pk")


# --------------------------------------------------------------------------- save-back to the profile


def clean_bank_account(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    if not digits:
        raise ValidationError("请填写收款银行账号", code="required")
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        raise ValidationError("应为12至19位数字", code="format")
    if len(digits) >= 16 and not luhn.is_valid(digits):
        raise ValidationError("校验位不正确，请核对卡号", code="checksum")
    return digits


def save_payment_account(ctx: ActionContext, talent: Talent, bank_name: str, bank_account: str) -> None:
    """她同意后 the bank account a form asked for becomes her profile's (next forms prefill it).

    Only the talent herself gives this consent; the audit row holds the account masked."""
    from talentpark.core.masking import mask

    errors = FieldErrors()
    if ctx.user is None or not Talent.objects.filter(pk=talent.pk, person__user=ctx.user).exists():
        errors.add("save_account", "保存到档案", "只有本人可以把账户保存到自己的档案")
    bank_name = clean_text(bank_name or "")
    if not bank_name:
        errors.add("bank_name", "开户银行", "请填写开户银行")
    elif len(bank_name) > 60:
        errors.add("bank_name", "开户银行", "不能超过60字")
    account = errors.check("bank_account", "银行账号", clean_bank_account, bank_account)
    errors.raise_if_any()
    assert account is not None
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=talent.person_id)
        old: Any = person.bank_account
        before = {"bank_name": person.bank_name, "bank_account": old.masked if old is not None else ""}
        person.bank_name = bank_name
        person.bank_account = account  # type: ignore[assignment]
        person.save(update_fields=["bank_name", "bank_account", "updated_at"])
        audit.record(
            ctx,
            "talent.profile.saveback",
            talent,
            before=before,
            after={"bank_name": bank_name, "bank_account": mask("bank_account", account)},
        )
