"""我的材料库: the talent's list of documents, upload, download and delete; staff download.

Thin views: parse, ``get_for`` / ``restrict`` on ``Document`` (scope in ``registry.access``), call
``registry.wallet``. A role without the permission gets 403; a document outside the viewer's
scope (another talent's, another zone's, a talent outside a specialist's data scope) 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentpark.accounts.access import get_for, require_perm, restrict
from talentpark.core import crypto
from talentpark.core.context import ActionContext
from talentpark.registry import wallet
from talentpark.registry.models import Document, Talent


def _records(request: HttpRequest) -> tuple[list[Talent], Talent | None]:
    """Her zone records (a wallet per record: zones are sealed) and the one chosen with ``t``."""
    require_perm(request.user, "registry.document.own")
    mine = restrict(Talent.objects.select_related("zone"), request.user, "view")
    records = list(mine.order_by("-id"))
    chosen = request.POST.get("talent") or request.GET.get("t")
    if chosen:
        return records, get_for(mine, request.user, "view", pk=chosen)
    return records, records[0] if records else None


def _page(
    request: HttpRequest,
    records: list[Talent],
    talent: Talent | None,
    errors: dict[str, list[str]] | None = None,
    values: dict[str, str] | None = None,
) -> HttpResponse:
    docs = list(wallet.documents_of(talent)) if talent is not None else []
    used = set(
        Document.objects.filter(pk__in=[d.pk for d in docs], claim_uses__isnull=False).values_list(
            "pk", flat=True
        )
    )
    for d in docs:
        d.in_use = d.pk in used  # type: ignore[attr-defined]
    errors = errors or {}
    context = {
        "talent": talent,
        "records": records,
        "documents": docs,
        "kinds": Document.Kind.choices,
        "errors": errors,
        "general_errors": [m for k in ("document", "zone", "__all__") for m in errors.get(k, [])],
        "values": values or {},
        "max_mb": f"{wallet.max_bytes() / (1024 * 1024):g}",
    }
    return render(request, "registry/wallet.html", context, status=400 if errors else 200)


@never_cache
@login_required
@require_GET
def my_wallet(request: HttpRequest) -> HttpResponse:
    records, talent = _records(request)
    return _page(request, records, talent)


@login_required
@require_POST
def wallet_upload(request: HttpRequest) -> HttpResponse:
    records, talent = _records(request)
    if talent is None:
        raise Http404
    values = {"kind": request.POST.get("kind", ""), "title": (request.POST.get("title") or "")[:120]}
    try:
        doc, created = wallet.upload_document(
            ActionContext.from_request(request, reason="上传材料"),
            talent,
            request.FILES.get("file"),
            kind=values["kind"],
            title=values["title"],
        )
    except ValidationError as exc:
        return _page(request, records, talent, exc.message_dict, values)
    if created:
        messages.success(request, gettext("已存入材料库：%(t)s") % {"t": doc.title})
    else:
        messages.info(request, gettext("该文件已在材料库中（%(t)s），未重复保存") % {"t": doc.title})
    return redirect(f"{_wallet_url()}?t={talent.pk}")


def _wallet_url() -> str:
    return reverse("registry:wallet")


@never_cache
@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """One document, to her and to staff whose zone and data scope cover her; each read is audited."""
    doc = get_for(Document.objects.all(), request.user, "view", pk=pk)
    return document_response(request, doc, reason="查看材料库材料")


def document_response(request: HttpRequest, doc: Document, reason: str) -> HttpResponse:
    """The document as a download (for this view and feature apps that checked access their own way)."""
    try:
        data = wallet.read_document(ActionContext.from_request(request, reason=reason), doc)
    except (FileNotFoundError, crypto.DecryptionError):
        raise Http404 from None
    response = HttpResponse(data, content_type=doc.content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{doc.title}{doc.extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["POST"])
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "registry.document.own")
    doc = get_for(Document.objects.select_related("talent"), request.user, "own", pk=pk)
    try:
        wallet.delete_document(ActionContext.from_request(request, reason="删除材料"), doc)
    except ValidationError as exc:
        records, _talent = _records(request)
        return _page(request, records, doc.talent, exc.message_dict)
    messages.success(request, gettext("已从材料库删除：%(t)s") % {"t": doc.title})
    return redirect(f"{_wallet_url()}?t={doc.talent_id}")
