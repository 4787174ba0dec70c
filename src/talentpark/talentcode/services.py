"""人才码 operations: a talent's code and its tokens, what a partner window sees when it verifies
one, the service it records, and her consent.

Guarantees (each enforced by the database, proven in ``tests/test_partner_flow.py``):

- one talent code per talent record (``talentcode_one_per_talent``);
- one token gives one service once: a replayed token, or the same token scanned twice at once,
  records the service one time (``talentcode_one_use_per_token`` on ``(zone, cti, service)``); the
  loser gets :class:`Refused` with code ``replay`` (HTTP 409 in the API);
- a short code names one live token (``IssuedToken.short_code`` is unique);
- a partner of a kind she has not consented to sees validity and nothing else;
- every scan, whatever its outcome, is a :class:`~talentpark.talentcode.models.Scan` row, and those
  rows are the per-account rate limit (``talentcode.scan_limit`` scans a minute), so the limit
  holds across web workers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from talentpark.core import audit, notify, parameters, talent_codes
from talentpark.core.context import ActionContext
from talentpark.core.models import PIIAccessLog, Zone
from talentpark.registry.models import Talent
from talentpark.registry.services import held_tier
from talentpark.talentcode import tokens
from talentpark.talentcode.models import (
    CONSENT_FIELDS,
    CONSENT_VERSION,
    GreenService,
    IssuedToken,
    Partner,
    PartnerAccount,
    PartnerConsent,
    PartnerWindow,
    Scan,
    ServiceRecord,
    TalentCode,
)

NOTICE_KIND = "talentcode.service"
notify.register_kind(NOTICE_KIND, gettext_noop("人才码服务"))

parameters.GROUPS["talentcode"] = "人才码"
parameters.register(
    "talentcode.scan_limit",
    parameters.INT,
    label="合作窗口每分钟核验次数上限",
    help="同一合作窗口账号一分钟内核验人才码（扫码或输入数字码）超过此次数即暂停核验",
    setting="TALENTPARK_TALENTCODE_SCAN_LIMIT",
    env="TALENTPARK_TALENTCODE_SCAN_LIMIT",
    group="talentcode",
    minimum=1,
    maximum=10000,
    unit="次",
)

REFRESH_MARGIN = dt.timedelta(seconds=60)  # a token with less left is replaced by a new one
RECORD_WINDOW = dt.timedelta(minutes=15)  # how long after a scan its services may be recorded
SHORT_CODE = re.compile(r"\d{8}")


class Refused(Exception):
    """A partner action refused, with a machine ``code`` and a Chinese ``message``."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


# -- her code and its tokens ------------------------------------------------------------------


def code_for(talent: Talent) -> TalentCode:
    """Her talent code, made on first use (two first uses at once make one)."""
    found = TalentCode.objects.filter(zone_id=talent.zone_id, talent=talent).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return TalentCode.objects.create(
                zone_id=talent.zone_id, talent=talent, code_id=tokens.new_talent_code_id()
            )
    except IntegrityError:
        return TalentCode.objects.get(zone_id=talent.zone_id, talent=talent)


def current_token(talent: Talent, now: dt.datetime | None = None) -> IssuedToken:
    """The token her page shows now: the latest one while it has a minute left, else a new one
    (signed with the active key, carrying her tier as held today, with a fresh short code)."""
    now = now or timezone.now()
    code = code_for(talent)
    if code.status != TalentCode.Status.ACTIVE:
        raise Refused("revoked", gettext("您的人才码已停用，请联系人才办"), status=403)
    latest = code.tokens.filter(expires_at__gt=now + REFRESH_MARGIN).order_by("-expires_at").first()
    if latest is not None:
        return latest
    tier = held_tier(talent, timezone.localdate(now))
    text = tokens.issue(
        issuer=talent.zone.code,
        talent_code=code.code_id,
        tier=tier,
        tier_until=talent.tier_valid_until if tier else None,
        now=now,
    )
    claims = tokens.decode_claims(text)
    issued = dt.datetime.fromtimestamp(claims[tokens.CLAIM_IAT], dt.UTC)
    expires = dt.datetime.fromtimestamp(claims[tokens.CLAIM_EXP], dt.UTC)
    for _attempt in range(8):
        try:
            with transaction.atomic():
                code.tokens.filter(expires_at__lt=now - dt.timedelta(hours=1)).delete()
                return IssuedToken.objects.create(
                    zone_id=talent.zone_id,
                    code=code,
                    cti=claims[tokens.CLAIM_CTI].hex(),
                    short_code=tokens.short_code(),
                    token=text,
                    issued_at=issued,
                    expires_at=expires,
                )
        except IntegrityError:  # a short code in use: draw another
            continue
    raise RuntimeError("no free short code after 8 draws")


def revoke_code(ctx: ActionContext, code: TalentCode, reason: str) -> TalentCode:
    """停用 a talent code (a lost phone, a talent who left): its tokens fail online at once."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused("reason", gettext("停用原因：请填写"))
    with transaction.atomic():
        code = TalentCode.objects.select_for_update().get(pk=code.pk)
        if code.status == TalentCode.Status.REVOKED:
            return code
        code.status, code.revoked_at, code.revoked_reason = TalentCode.Status.REVOKED, timezone.now(), reason
        code.save(update_fields=["status", "revoked_at", "revoked_reason"])
        audit.record(ctx, "talentcode.code.revoke", code, after={"reason": reason})
    return code


def reinstate_code(ctx: ActionContext, code: TalentCode) -> TalentCode:
    """恢复 a revoked talent code under a new id (the old id's tokens stay dead)."""
    with transaction.atomic():
        code = TalentCode.objects.select_for_update().get(pk=code.pk)
        if code.status == TalentCode.Status.ACTIVE:
            return code
        code.status, code.revoked_at, code.revoked_reason = TalentCode.Status.ACTIVE, None, ""
        code.code_id = tokens.new_talent_code_id()
        code.save(update_fields=["status", "revoked_at", "revoked_reason", "code_id"])
        code.tokens.all().delete()
        audit.record(ctx, "talentcode.code.reinstate", code)
    return code


# -- consent ------------------------------------------------------------------------------------


def live_consents(talent: Talent) -> dict[str, PartnerConsent]:
    rows = PartnerConsent.objects.filter(zone_id=talent.zone_id, talent=talent, withdrawn_at__isnull=True)
    return {c.partner_kind: c for c in rows}


def set_consent(
    ctx: ActionContext, talent: Talent, kind: str, fields: Sequence[str]
) -> PartnerConsent | None:
    """Her consent for partners of ``kind`` to see ``fields`` (a subset of ``CONSENT_FIELDS``);
    an empty list withdraws it. A changed set is a new consent (the old one is withdrawn), so
    each row is what she agreed to, when."""
    if kind not in Partner.Kind.values:
        raise Refused("kind", gettext("机构类别：不存在"))
    chosen = [f for f in CONSENT_FIELDS if f in set(fields)]
    unknown = set(fields) - set(CONSENT_FIELDS)
    if unknown:
        raise Refused("fields", gettext("授权信息：不能授权“%(f)s”") % {"f": "、".join(sorted(unknown))})
    if chosen and "tier" not in chosen:
        chosen.insert(0, "tier")  # the rest means nothing without what she is entitled to
    now = timezone.now()
    with transaction.atomic():
        current = (
            PartnerConsent.objects.select_for_update()
            .filter(zone_id=talent.zone_id, talent=talent, partner_kind=kind, withdrawn_at__isnull=True)
            .first()
        )
        if current is not None and current.fields == chosen:
            return current
        if current is not None:
            current.withdrawn_at = now
            current.save(update_fields=["withdrawn_at"])
        made = None
        if chosen:
            made = PartnerConsent.objects.create(
                zone_id=talent.zone_id,
                talent=talent,
                partner_kind=kind,
                fields=chosen,
                version=CONSENT_VERSION,
                granted_at=now,
            )
        audit.record(
            ctx,
            "talentcode.consent.withdraw" if made is None else "talentcode.consent.grant",
            made or current,
            before={"fields": current.fields} if current is not None else None,
            after={"kind": kind, "fields": chosen},
            zone_id=talent.zone_id,
        )
    return made


# -- a partner window verifies ------------------------------------------------------------------


@dataclass
class Offer:
    """A service of this window, as the partner sees it for this talent."""

    service: GreenService
    entitled: bool
    used: bool  # already recorded with this very token
    note: str = ""


@dataclass
class Verification:
    scan: Scan
    valid: bool
    message: str
    tier: str = ""
    tier_until: dt.date | None = None
    shown: dict[str, str] = field(default_factory=dict)  # consented fields: label -> value
    offers: list[Offer] = field(default_factory=list)
    consented: bool = False


def account_of(user: Any) -> PartnerAccount:
    account = PartnerAccount.objects.select_related("partner", "window").filter(user=user).first()
    if account is None or not account.partner.is_active:
        raise Refused("no_partner", gettext("当前账号未关联合作机构，请联系人才办"), status=403)
    return account


def windows_of(account: PartnerAccount) -> list[PartnerWindow]:
    return list(account.partner.windows.filter(is_active=True))


def _window(account: PartnerAccount, window_id: Any) -> PartnerWindow | None:
    if window_id in (None, ""):
        return account.window
    try:
        return account.partner.windows.get(pk=int(window_id), is_active=True)
    except (ValueError, TypeError, PartnerWindow.DoesNotExist):
        raise Refused("window", gettext("办理窗口：不属于本机构")) from None


def _rate_limited(account: PartnerAccount, now: dt.datetime) -> bool:
    limit = parameters.value("talentcode.scan_limit")
    return Scan.objects.filter(user_id=account.user_id, at__gt=now - dt.timedelta(minutes=1)).count() >= limit


def _resolve(text: str, now: dt.datetime) -> tuple[str, str]:
    """(token text, method) of what was scanned or typed: a token, or a live short code."""
    text = (text or "").strip()
    compact = re.sub(r"\s", "", text)
    if SHORT_CODE.fullmatch(compact):
        issued = IssuedToken.objects.filter(short_code=compact, expires_at__gt=now).first()
        if issued is None:
            raise tokens.TokenInvalid("short_code", gettext("数字码无效或已过期，请让人才刷新人才码"))
        return issued.token, Scan.Method.SHORT_CODE
    if not text:
        raise tokens.TokenInvalid("empty", gettext("人才码：请扫码或输入8位数字码"))
    return text, Scan.Method.QR


def _live_code(token_text: str, now: dt.datetime, zone_id: int, zone_code: str) -> tuple[TalentCode, Any]:
    """The live code a token is: signed and unexpired, issued here, of this zone, not stopped, its
    talent still in the zone (raises ``tokens.TokenInvalid`` with the reason)."""
    checked = tokens.verify(token_text, now=now)
    issued = IssuedToken.objects.filter(cti=checked.cti.hex()).select_related("code__talent").first()
    if issued is None or issued.code.code_id != checked.talent_code:
        raise tokens.TokenInvalid("unknown_token", gettext("人才码不是本平台签发的"))
    code = issued.code
    if code.zone_id != zone_id or checked.iss != zone_code:
        raise tokens.TokenInvalid("other_zone", gettext("人才码不属于本园区"))
    if code.status != TalentCode.Status.ACTIVE:
        raise tokens.TokenInvalid("revoked", gettext("人才码已停用"))
    if code.talent.status != Talent.Status.ACTIVE:
        raise tokens.TokenInvalid("left", gettext("该人才已离区，人才码无效"))
    return code, checked


def read_code(text: str, zone_id: int) -> int:
    """``core.talent_codes``' reader: the talent whose live code ``text`` is (a job fair's check-in)."""
    now = timezone.now()
    try:
        token_text, _ = _resolve(text, now)
        zone_code = Zone.objects.filter(pk=zone_id).values_list("code", flat=True).first() or ""
        code, _checked = _live_code(token_text, now, zone_id, zone_code)
    except tokens.TokenInvalid as exc:
        raise talent_codes.Unreadable(exc.reason) from None
    return code.talent_id


talent_codes.register_reader(read_code)


def verify(
    ctx: ActionContext, user: Any, text: str, *, window_id: Any = None, api: bool = False
) -> Verification:
    """Verify what a partner scanned or typed, online: signature and expiry (``tokens.verify``),
    then the server's own record — the token was issued here, the code is not revoked, the talent
    is still in the zone, the partner is of the talent's zone. Writes the scan row; shows the
    consented fields (each read of personal data in the access log) and this window's services."""
    account = account_of(user)
    window = _window(account, window_id)
    now = timezone.now()
    partner = account.partner

    def log(outcome: str, method: str, **extra: Any) -> Scan:
        return Scan.objects.create(
            zone_id=partner.zone_id,
            partner=partner,
            window=window,
            user_id=account.user_id,
            at=now,
            method=Scan.Method.API if api else method,
            outcome=outcome[:20],
            ip=ctx.ip or None,
            **extra,
        )

    if _rate_limited(account, now):
        log("rate_limited", Scan.Method.QR)
        raise Refused("rate_limited", gettext("核验过于频繁，请稍后再试"), status=429)
    method: str = Scan.Method.QR
    try:
        token_text, method = _resolve(text, now)
        code, checked = _live_code(token_text, now, partner.zone_id, partner.zone.code)
    except tokens.TokenInvalid as exc:
        scan = log(exc.code, method)
        return Verification(scan=scan, valid=False, message=exc.reason)
    talent = code.talent
    consent = live_consents(talent).get(partner.kind)
    fields = list(consent.fields) if consent is not None else []
    with transaction.atomic():
        scan = log(
            "valid",
            method,
            code=code,
            cti=checked.cti.hex(),
            expires_at=dt.datetime.fromtimestamp(checked.exp, dt.UTC),
            fields_shown=",".join(fields),
        )
        shown = _shown_fields(ctx, talent, fields, scan)
    result = Verification(scan=scan, valid=True, message=gettext("人才码有效"), consented=bool(fields))
    if "tier" in fields:
        result.tier, result.tier_until = checked.tier, checked.tier_until
        result.shown = shown
        result.offers = offers(scan, talent, checked.tier)
    return result


def _shown_fields(ctx: ActionContext, talent: Talent, fields: Sequence[str], scan: Scan) -> dict[str, str]:
    """The consented fields' values; one access-log row for the personal ones among them."""
    values: dict[str, str] = {}
    personal = [f for f in fields if f in ("name", "phone", "employer")]
    for name in fields:
        if name == "name":
            values[CONSENT_FIELDS[name]] = talent.person.name
        elif name == "phone":
            phone: Any = talent.person.phone
            values[CONSENT_FIELDS[name]] = phone.masked if phone else "—"
        elif name == "employer":
            values[CONSENT_FIELDS[name]] = talent.employer.name if talent.employer else "—"
    if personal:
        PIIAccessLog.objects.create(
            zone_id=talent.zone_id,
            actor=ctx.user,
            actor_name=ctx.user.get_username() if ctx.user else "",
            role=ctx.role,
            subject_type="registry.talent",
            subject_id=str(talent.pk),
            subject_repr=talent.person.name[:200],
            field=",".join(personal)[:32],
            reason=gettext("人才授权合作窗口核验人才码（核验记录%(n)s）") % {"n": scan.pk},
            granted=True,
            ip=ctx.ip,
            request_id=ctx.request_id,
        )
    return values


def _used_this_year(talent: Talent, service: GreenService, today: dt.date) -> int:
    start = timezone.make_aware(dt.datetime(today.year, 1, 1))
    return ServiceRecord.objects.filter(talent=talent, service=service, at__gte=start).count()


def offers(scan: Scan, talent: Talent, tier: str) -> list[Offer]:
    """This window's services for her: entitled by tier and yearly cap, and whether this token
    already recorded it."""
    services = GreenService.objects.filter(partner_id=scan.partner_id, is_active=True).order_by("name")
    if scan.window_id:
        services = services.filter(Q(window__isnull=True) | Q(window_id=scan.window_id))
    used = set(
        ServiceRecord.objects.filter(zone_id=scan.zone_id, cti=scan.cti).values_list("service_id", flat=True)
    )
    today = timezone.localdate()
    out = []
    for service in services:
        note = ""
        entitled = bool(tier) and tier in service.tiers
        if not entitled:
            note = gettext("适用于%(t)s人才") % {"t": service.tier_labels()}
        elif service.per_year and _used_this_year(talent, service, today) >= service.per_year:
            entitled, note = False, gettext("本年度已享受%(n)s次（上限）") % {"n": service.per_year}
        out.append(Offer(service=service, entitled=entitled, used=service.pk in used, note=note))
    return out


def record_service(
    ctx: ActionContext, user: Any, scan: Scan, service: GreenService, note: str = ""
) -> ServiceRecord:
    """Record one service given on the strength of ``scan``: one tap at the window. The talent's
    timeline and inbox show it at once. Refused: someone else's scan, a failed or stale scan, a
    service of another partner, a tier or yearly cap that does not qualify, no consent, a replay."""
    account = account_of(user)
    now = timezone.now()
    if scan.user_id != account.user_id or scan.partner_id != account.partner_id:
        raise Refused("not_yours", gettext("核验记录不存在"), status=404)
    if not scan.valid or scan.code_id is None:
        raise Refused("invalid", gettext("人才码核验未通过，不能登记服务"))
    if now - scan.at > RECORD_WINDOW:
        raise Refused("stale", gettext("核验已超过15分钟，请重新核验人才码"))
    if service.partner_id != account.partner_id or not service.is_active:
        raise Refused("service", gettext("服务项目：不属于本机构"))
    note = (note or "").strip()[:200]
    try:
        with transaction.atomic():
            # Her code row, locked: two windows recording for her at once (with two different
            # tokens) are serialised, so the yearly cap counted below cannot be overrun.
            code = TalentCode.objects.select_for_update().get(pk=scan.code_id)
            talent = Talent.objects.select_related("zone", "person").get(pk=code.talent_id)
            consent = live_consents(talent).get(account.partner.kind)
            if consent is None or "tier" not in consent.fields:
                raise Refused(
                    "consent", gettext("该人才未授权本类机构查看服务资格，不能登记服务"), status=403
                )
            tier = held_tier(talent, timezone.localdate(now))
            offer = next((o for o in offers(scan, talent, tier) if o.service.pk == service.pk), None)
            if offer is None:
                raise Refused("service", gettext("服务项目：本窗口不办理"))
            if offer.used:
                raise Refused("replay", gettext("此人才码已登记过该服务，不能重复使用"), status=409)
            if not offer.entitled:
                raise Refused("not_entitled", gettext("该人才不符合此服务条件：%(n)s") % {"n": offer.note})
            record = ServiceRecord.objects.create(
                zone_id=scan.zone_id,
                code=code,
                talent=talent,
                service=service,
                partner_id=scan.partner_id,
                window_id=scan.window_id,
                scan=scan,
                cti=scan.cti,
                user_id=account.user_id,
                at=now,
                note=note,
            )
            audit.record(
                ctx, "talentcode.service.record", record, after={"service": service.name, "scan": scan.pk}
            )
            if talent.person.user_id:
                notify.notify(
                    NOTICE_KIND,
                    gettext("您已在%(p)s享受“%(s)s”绿色通道服务")
                    % {"p": account.partner.name, "s": service.name},
                    [talent.person.user_id],
                    link=reverse("registry:timeline") + "?kind=talentcode",
                    zone_id=talent.zone_id,
                )
    except IntegrityError:
        raise Refused("replay", gettext("此人才码已登记过该服务，不能重复使用"), status=409) from None
    return record
