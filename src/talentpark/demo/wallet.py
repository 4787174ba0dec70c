"""The demo talent's 材料库: a diploma, a labour contract and a title certificate, uploaded once
through the wallet's own service (sealed on disk like any upload), so her wallet page and her next
申报 show what 一次申报 means. Generated documents: no real person's papers."""

from __future__ import annotations

import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from talentpark.core.context import ActionContext
from talentpark.core.models import Zone
from talentpark.registry import wallet
from talentpark.registry.models import Document, Talent


def _pdf(title: str) -> bytes:
    """A small, valid one-page PDF naming what it stands for (ASCII only: no font embedding)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _png(width: int = 8, height: int = 8) -> bytes:
    """A small grey PNG (a scanned certificate stands in for one)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    rows = b"".join(b"\x00" + b"\xc0" * width for _ in range(height))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x00\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


DOCUMENTS = (
    (Document.Kind.DIPLOMA, "硕士学位证书", "degree.pdf", lambda: _pdf("Master's degree certificate (demo)")),
    (Document.Kind.CONTRACT, "劳动合同（2024—2027）", "contract.pdf", lambda: _pdf("Labour contract (demo)")),
    (Document.Kind.CERTIFICATE, "中级职称证书", "title.png", _png),
)


def write(zone: Zone) -> int:
    """Upload the demo talent's documents; returns how many were stored."""
    talent = (
        Talent.objects.filter(zone=zone, person__user__username__endswith="_talent_demo")
        .select_related("person__user", "zone")
        .first()
    )
    user = talent.person.user if talent is not None else None
    if talent is None or user is None:
        return 0
    ctx = ActionContext(user=user, role=user.role, zone_id=zone.pk, reason="演示数据：本人上传材料")
    made = 0
    for kind, title, name, content in DOCUMENTS:
        _, created = wallet.upload_document(ctx, talent, SimpleUploadedFile(name, content()), kind, title)
        made += created
    return made
