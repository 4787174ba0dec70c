"""人才码 API for partner systems (a hospital's HIS, a bank's counter app): verify a scanned or
typed code online, then record the service given. The same service calls as the scan page, so the
same guarantees: revocation checked, consent honoured, every scan logged and rate-limited per
account (429), one service per token (409 on a replay)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from talentpark.accounts.access import has_perm
from talentpark.core.api_kit import RecordId, answers
from talentpark.core.context import ActionContext
from talentpark.talentcode import services
from talentpark.talentcode.models import GreenService, Scan

router = Router(tags=["人才码"])


class VerifyIn(Schema):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(..., title="人才码", max_length=2000, description="扫码所得文本（TP1:开头）或8位数字码")
    window_id: int | None = Field(None, title="服务窗口", ge=1, description="本机构的窗口编号，可不填")


class OfferOut(Schema):
    service_id: int
    name: str
    entitled: bool
    used: bool
    note: str


class VerifyOut(Schema):
    valid: bool
    message: str
    scan_id: int
    consented: bool
    tier: str = ""
    tier_until: dt.date | None = None
    fields: dict[str, str] = {}
    offers: list[OfferOut] = []


class RecordIn(Schema):
    model_config = ConfigDict(extra="forbid")
    service_id: int = Field(..., title="服务项目", ge=1)
    note: str = Field("", title="备注", max_length=200)


class RecordOut(Schema):
    id: int
    scan_id: int
    service_id: int
    service: str
    at: dt.datetime


class RefusedOut(Schema):
    code: str
    detail: list[dict[str, str]]


def _partner(request: HttpRequest) -> Any:
    if not has_perm(request.user, "talentcode.scan"):
        raise PermissionDenied
    try:
        return services.account_of(request.user)
    except services.Refused:
        raise PermissionDenied from None


def _refused(exc: services.Refused) -> Status[dict[str, Any]]:
    return Status(exc.status, {"code": exc.code, "detail": [{"field": "__all__", "message": exc.message}]})


@router.post(
    "/verify",
    response={**answers(VerifyOut, 403), 400: RefusedOut, 429: RefusedOut},
    operation_id="talentcode_verify",
    summary="核验人才码（合作窗口）",
)
def verify(request: HttpRequest, payload: VerifyIn) -> Any:
    """Signature, expiry, revocation and zone; what she consented to show; this window's services.
    An invalid code is a 200 with ``valid: false`` and the reason (the scan is logged)."""
    _partner(request)
    try:
        result = services.verify(
            ActionContext.from_request(request, reason="合作机构系统核验人才码"),
            request.user,
            payload.code,
            window_id=payload.window_id,
            api=True,
        )
    except services.Refused as exc:
        return _refused(exc)
    return {
        "valid": result.valid,
        "message": result.message,
        "scan_id": result.scan.pk,
        "consented": result.consented,
        "tier": result.tier or "",
        "tier_until": result.tier_until,
        "fields": result.shown,
        "offers": [
            {
                "service_id": o.service.pk,
                "name": o.service.name,
                "entitled": o.entitled,
                "used": o.used,
                "note": o.note,
            }
            for o in result.offers
        ],
    }


@router.post(
    "/scans/{pk}/services",
    response={**answers(RecordOut, 403, 404), 400: RefusedOut, 409: RefusedOut},
    operation_id="talentcode_record_service",
    summary="登记绿色通道服务（合作窗口）",
)
def record(request: HttpRequest, pk: RecordId, payload: RecordIn) -> Any:
    """One service on the strength of a valid scan by this account, within 15 minutes of it.
    409 with ``code: replay`` when this token already recorded this service."""
    account = _partner(request)
    scan = Scan.objects.filter(pk=pk, user_id=account.user_id, partner_id=account.partner_id).first()
    if scan is None:
        raise Http404
    service = GreenService.objects.filter(pk=payload.service_id, partner_id=account.partner_id).first()
    if service is None:
        return Status(
            400, {"code": "service", "detail": [{"field": "service_id", "message": "服务项目：不属于本机构"}]}
        )
    try:
        done = services.record_service(
            ActionContext.from_request(request, reason="合作机构系统登记绿色通道服务"),
            request.user,
            scan,
            service,
            payload.note,
        )
    except services.Refused as exc:
        if exc.status == 404:
            raise Http404 from None
        if exc.status == 403:  # she has not consented to this kind of partner: say so
            return Status(403, {"detail": [{"field": "__all__", "message": exc.message}]})
        return _refused(exc)
    return {
        "id": done.pk,
        "scan_id": scan.pk,
        "service_id": service.pk,
        "service": service.name,
        "at": done.at,
    }
