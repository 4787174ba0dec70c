"""人才码 of a demo zone: partner institutions with their windows and green-channel services
(Jinan's scale at ``seed``: 57 partners, about 220 services), the partner login linked to the
first hospital's talent window, codes and consents of certified talents, and months of scans and
services so the partner's, the office's and the talent's pages show real-looking work."""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections import Counter
from typing import Any

from django.utils import timezone

from talentpark.accounts.models import User
from talentpark.core.models import Zone
from talentpark.registry.models import Talent
from talentpark.talentcode.models import (
    GreenService,
    Partner,
    PartnerAccount,
    PartnerConsent,
    PartnerWindow,
    Scan,
    ServiceRecord,
    TalentCode,
)

K = Partner.Kind

# Per kind: (how many partners at seed scale, name patterns, windows, services as
# (name, description, tiers, times per year; 0 = no cap)). {c}: the city without 市, {z}: the zone.
CATALOGUE: dict[str, tuple[int, tuple[str, ...], tuple[str, ...], tuple[tuple[str, str, str, int], ...]]] = {
    K.HOSPITAL: (
        12,
        (
            "{c}市第一人民医院",
            "{c}医学院附属医院",
            "{c}市中医院",
            "{c}市妇幼保健院",
            "{z}社区卫生服务中心",
            "{c}市第二人民医院",
            "{c}市口腔医院",
            "{c}市眼科医院",
            "{c}市儿童医院",
            "{c}市精神卫生中心",
            "{c}市康复医院",
            "{c}市肿瘤医院",
        ),
        ("门诊人才服务专窗", "住院部绿色通道"),
        (
            ("优先挂号", "专家号源预留，当日优先就诊", "ABCD", 0),
            ("年度健康体检", "每年一次免费全面体检", "ABC", 1),
            ("专家会诊", "疑难病症多学科会诊预约", "AB", 0),
            ("住院优先安排", "床位紧张时优先安排住院", "ABC", 0),
            ("家庭医生签约", "本人及配偶、子女签约家庭医生", "ABCDE", 1),
        ),
    ),
    K.SCHOOL: (
        14,
        (
            "{z}实验小学",
            "{z}第一中学",
            "{c}市实验中学",
            "{z}第二实验小学",
            "{c}市第一中学",
            "{z}实验幼儿园",
            "{c}市育才中学",
            "{z}外国语学校",
            "{c}市第十五中学",
            "{z}第三实验小学",
            "{c}市附属中学",
            "{z}机关幼儿园",
            "{c}市教育和体育局",
            "{z}社会事业局教育科",
        ),
        ("人才子女入学窗口",),
        (
            ("子女入学协调", "按人才层次协调就近入学", "ABCD", 0),
            ("转学插班办理", "学期中转入，材料齐全即办", "ABC", 0),
            ("入园优先", "公办幼儿园优先录取", "ABCD", 0),
            ("课后服务免费", "子女课后服务费用减免", "AB", 1),
        ),
    ),
    K.BANK: (
        10,
        (
            "中国工商银行{c}分行",
            "中国建设银行{c}分行",
            "中国农业银行{c}分行",
            "中国银行{c}分行",
            "{c}银行",
            "齐鲁银行{c}分行",
            "交通银行{c}分行",
            "招商银行{c}分行",
            "兴业银行{c}分行",
            "{c}农商银行",
        ),
        ("人才金融服务窗口", "VIP理财室"),
        (
            ("人才贷快速审批", "无抵押信用贷款，三个工作日内审批", "ABC", 0),
            ("贵宾通道办理", "免排队办理个人业务", "ABCD", 0),
            ("安家贷款利率优惠", "首套住房贷款利率下浮", "ABCD", 0),
            ("跨境汇款手续费减免", "境外收入汇入手续费全免", "AB", 0),
        ),
    ),
    K.HOUSING: (
        3,
        ("{z}人才安居服务中心", "{c}市住房公积金管理中心", "{c}市不动产登记中心"),
        ("人才安居窗口",),
        (
            ("人才公寓看房预约", "专人陪同看房", "ABCDE", 0),
            ("购房补贴材料代办", "补贴材料一次收取、代为提交", "ABCD", 0),
            ("公积金提取加急", "当日受理、次日到账", "ABCD", 0),
            ("不动产登记优先", "登记业务优先办理", "ABC", 0),
        ),
    ),
    K.SERVICE_HALL: (
        4,
        ("{z}政务服务中心", "{c}市民中心", "{c}市出入境管理大厅", "{c}市公安局户政服务大厅"),
        ("人才服务专窗",),
        (
            ("落户一站办理", "本人及家属落户一次办结", "ABCD", 0),
            ("出入境证件加急", "护照、港澳通行证加急办理", "ABC", 0),
            ("外籍人才居留许可", "工作类居留许可优先受理", "ABC", 0),
            ("配偶就业推荐", "对接园区企业岗位", "ABC", 0),
            ("社保关系转移代办", "跨省社保关系转移一次办", "ABCDE", 0),
        ),
    ),
    K.TRANSPORT: (
        6,
        ("{c}高铁站", "{c}公交集团", "{c}曲阜机场", "{c}北站", "{c}汽车总站", "{c}市城市轨道交通公司"),
        ("贵宾服务台",),
        (
            ("贵宾厅候车", "凭人才码进入贵宾厅", "AB", 0),
            ("优先安检通道", "专用安检通道", "ABC", 0),
            ("人才公交卡", "年度免费乘车卡", "ABCDE", 1),
        ),
    ),
    K.CULTURE: (
        8,
        (
            "{c}市博物馆",
            "{c}市图书馆",
            "{c}大剧院",
            "{c}市体育中心",
            "{c}太白湖景区",
            "{c}市美术馆",
            "{c}市科技馆",
            "{c}运河文化公园",
        ),
        ("游客服务中心",),
        (
            ("免费入场", "本人及同行家属免票", "ABCDE", 0),
            ("年卡赠送", "年度畅游卡一张", "ABC", 1),
        ),
    ),
}
TINY_PER_KIND = {K.HOSPITAL: 2, K.SCHOOL: 2, K.BANK: 1, K.HOUSING: 1, K.SERVICE_HALL: 1, K.TRANSPORT: 1}
CONSENTS = (  # kind, share of coded talents consenting, fields shown
    (K.HOSPITAL, 0.8, ["tier", "name"]),
    (K.SCHOOL, 0.45, ["tier", "name", "employer"]),
    (K.BANK, 0.35, ["tier", "name", "phone"]),
    (K.HOUSING, 0.5, ["tier", "name", "employer"]),
    (K.SERVICE_HALL, 0.6, ["tier", "name"]),
    (K.TRANSPORT, 0.3, ["tier"]),
    (K.CULTURE, 0.4, ["tier"]),
)
AREA_CODES = {"济宁市": "0537", "长治市": "0355"}
SHOWN = {kind: fields for kind, _, fields in CONSENTS}
REFUSALS = ("expired", "expired", "short_code", "signature", "other_zone")  # the scan log's codes
HISTORY_DAYS = 150


def write(zone: Zone, profile: Any, reference: dt.date, seed: int, scale: str) -> dict[str, int]:
    rng = random.Random(seed ^ zlib.crc32(zone.code.encode()))
    tiny = scale == "tiny"
    city = profile.city_name.removesuffix("市")
    partners, windows, services = _institutions(zone, profile, city, tiny)
    staff = _link_partner_logins(zone, profile, partners)
    codes = _codes(zone, rng, reference, 25 if tiny else 1500)
    consents = _consents(zone, rng, codes, reference)
    scans, records = _history(zone, rng, reference, codes, consents, windows, services, staff)
    return {
        "partners": len(partners),
        "services": sum(len(v) for v in services.values()),
        "codes": len(codes),
        "consents": consents.total(),
        "scans": scans,
        "records": records,
    }


def _institutions(
    zone: Zone, profile: Any, city: str, tiny: bool
) -> tuple[list[Partner], dict[int, list[PartnerWindow]], dict[int, list[GreenService]]]:
    first_hospital = profile.partner_name.removesuffix("人才服务窗口")
    rows: list[Partner] = []
    for kind, (count, names, _, _) in CATALOGUE.items():
        n = TINY_PER_KIND.get(kind, 0) if tiny else count
        for i, pattern in enumerate(names[:n]):
            name = (
                first_hospital
                if kind == K.HOSPITAL and i == 0
                else pattern.format(c=city, z=profile.short_name)
            )
            road = profile.roads[len(rows) % len(profile.roads)]
            rows.append(
                Partner(
                    zone=zone,
                    kind=kind,
                    name=name,
                    address=f"{profile.city_name}{road}{(len(rows) * 37) % 400 + 1}号",
                    contact=f"{AREA_CODES.get(profile.city_name, '0531')}-{2300000 + len(rows) * 1571:07d}",
                    is_active=not (not tiny and kind == K.CULTURE and i == len(names[:n]) - 1),
                )
            )
    partners = Partner.objects.bulk_create(rows)
    window_rows = [
        PartnerWindow(zone=zone, partner=p, name=w, location=("一楼大厅" if j == 0 else "二楼东侧"))
        for p in partners
        for j, w in enumerate(CATALOGUE[p.kind][2])
    ]
    windows: dict[int, list[PartnerWindow]] = {}
    for w in PartnerWindow.objects.bulk_create(window_rows):
        windows.setdefault(w.partner_id, []).append(w)
    service_rows = []
    for p in partners:
        for name, description, tiers, per_year in CATALOGUE[p.kind][3]:
            service_rows.append(
                GreenService(
                    zone=zone,
                    partner=p,
                    window=windows[p.pk][0] if len(windows[p.pk]) > 1 and "住院" not in name else None,
                    name=name,
                    description=description,
                    tiers=tiers,
                    per_year=per_year,
                )
            )
    services: dict[int, list[GreenService]] = {}
    for s in GreenService.objects.bulk_create(service_rows):
        services.setdefault(s.partner_id, []).append(s)
    return partners, windows, services


def _link_partner_logins(zone: Zone, profile: Any, partners: list[Partner]) -> dict[int, User]:
    """The demo's ``<p>_partner`` login works the first hospital's talent window; every other
    partner gets a window account of its own (same demo password): {partner id: user}."""
    login = User.objects.filter(username=f"{profile.prefix}_partner").first()
    if login is None:
        return {}
    hospital = next(p for p in partners if p.kind == K.HOSPITAL)
    users = {hospital.pk: login}
    users |= {
        p.pk: u
        for p, u in zip(
            [p for p in partners if p.pk != hospital.pk],
            User.objects.bulk_create(
                User(
                    username=f"{profile.prefix}_partner{i:02d}",
                    password=login.password,
                    display_name=f"{p.name}窗口"[:50],
                    role=login.role,
                    zone=zone,
                    is_active=True,
                )
                for i, p in enumerate((p for p in partners if p.pk != hospital.pk), start=2)
            ),
            strict=True,
        )
    }
    first_window: dict[int, PartnerWindow] = {}
    for w in PartnerWindow.objects.filter(zone=zone).order_by("pk"):
        first_window.setdefault(w.partner_id, w)
    PartnerAccount.objects.bulk_create(
        PartnerAccount(zone=zone, user=u, partner_id=pid, window=first_window.get(pid))
        for pid, u in users.items()
    )
    return users


def _codes(
    zone: Zone, rng: random.Random, reference: dt.date, wanted: int
) -> list[tuple[TalentCode, Talent]]:
    """Codes of certified talents, the demo login's first (she has shown hers at windows)."""
    certified = list(
        Talent.objects.filter(zone=zone, status=Talent.Status.ACTIVE)
        .exclude(tier="")
        .select_related("person__user")
        .order_by("pk")
    )
    demo = [t for t in certified if t.person.user and t.person.user.username.endswith("_talent_demo")]
    rest = [t for t in certified if t not in demo]
    chosen = demo + rng.sample(rest, min(wanted, len(rest)))
    made = TalentCode.objects.bulk_create(
        TalentCode(zone=zone, talent=t, code_id=_code_id(rng)) for t in chosen
    )
    revoked = made[-1] if len(made) > 3 else None
    if revoked is not None:  # one lost phone: the office revoked her code
        revoked.status = TalentCode.Status.REVOKED
        revoked.revoked_at = _moment(reference - dt.timedelta(days=12), rng)
        revoked.revoked_reason = "手机遗失，本人申请停用"
        revoked.save(update_fields=["status", "revoked_at", "revoked_reason"])
    return list(zip(made, chosen, strict=True))


def _code_id(rng: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return "".join(rng.choice(alphabet) for _ in range(22))


def _consents(
    zone: Zone, rng: random.Random, codes: list[tuple[TalentCode, Talent]], reference: dt.date
) -> Counter[tuple[int, str]]:
    """Who consented to which kind: the demo login to hospitals, schools and banks; others at random.
    Returns a counter keyed by (talent id, kind) holding 1 for a live consent."""
    rows, live = [], Counter[tuple[int, str]]()
    for index, (_, talent) in enumerate(codes):
        for kind, share, fields in CONSENTS:
            demo = index == 0 and kind in (K.HOSPITAL, K.SCHOOL, K.BANK)
            if not demo and rng.random() >= share:
                continue
            granted = _moment(reference - dt.timedelta(days=HISTORY_DAYS + rng.randrange(60)), rng)
            withdrawn = (
                None if demo or rng.random() > 0.04 else granted + dt.timedelta(days=rng.randrange(20, 90))
            )
            rows.append(
                PartnerConsent(
                    zone=zone,
                    talent=talent,
                    partner_kind=kind,
                    fields=fields,
                    granted_at=granted,
                    withdrawn_at=withdrawn,
                )
            )
            if withdrawn is None:
                live[(talent.pk, kind)] = 1
    PartnerConsent.objects.bulk_create(rows)
    return live


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    """A working-hours moment of ``day`` in the zone's time."""
    at = dt.datetime.combine(day, dt.time(8 + rng.randrange(9), rng.randrange(60), rng.randrange(60)))
    return timezone.make_aware(at)


def _history(
    zone: Zone,
    rng: random.Random,
    reference: dt.date,
    codes: list[tuple[TalentCode, Talent]],
    live: Counter[tuple[int, str]],
    windows: dict[int, list[PartnerWindow]],
    services: dict[int, list[GreenService]],
    staff: dict[int, User],
) -> tuple[int, int]:
    """Scans over the last months, most of them valid and followed by a service; a few refused
    (an expired screenshot, the revoked code, another zone's code, a mistyped number)."""
    partners = list(Partner.objects.filter(zone=zone, is_active=True).order_by("pk"))
    if not staff or not codes:
        return 0, 0
    desk = partners[0]  # the demo partner login's hospital (first created)
    scans: list[Scan] = []
    planned: list[tuple[int, TalentCode, Talent, GreenService, PartnerWindow]] = []
    used: Counter[tuple[int, int, int]] = Counter()  # (talent, service, year)
    n = len(codes) * 2
    for i in range(n):
        code, talent = codes[0] if i < 6 else rng.choice(codes)
        partner = desk if i < 6 else rng.choice(partners)
        window = rng.choice(windows[partner.pk])
        at = _moment(reference - dt.timedelta(days=rng.randrange(HISTORY_DAYS)), rng)
        cti = f"{rng.getrandbits(128):032x}"
        consented = live[(talent.pk, partner.kind)] > 0
        outcome = "valid"
        if code.revoked_at is not None and at > code.revoked_at:
            outcome = "revoked"
        elif rng.random() < 0.05:
            outcome = rng.choice(REFUSALS)
        scans.append(
            Scan(
                zone=zone,
                partner=partner,
                window=window,
                user=staff[partner.pk],
                at=at,
                method=Scan.Method.SHORT_CODE
                if outcome == "short_code" or rng.random() < 0.2
                else Scan.Method.QR,
                outcome=outcome,
                code=code if outcome == "valid" else None,
                cti=cti if outcome == "valid" else "",
                expires_at=at + dt.timedelta(minutes=5) if outcome == "valid" else None,
                fields_shown=",".join(SHOWN[partner.kind]) if outcome == "valid" and consented else "",
            )
        )
        if outcome != "valid" or not consented:
            continue
        offered = [s for s in services.get(partner.pk, []) if talent.tier in s.tiers]
        if not offered:
            continue
        service = rng.choice(offered)
        key = (talent.pk, service.pk, at.year)
        if service.per_year and used[key] >= service.per_year:
            continue
        used[key] += 1
        planned.append((len(scans) - 1, code, talent, service, window))
    made = Scan.objects.bulk_create(scans)
    ServiceRecord.objects.bulk_create(
        ServiceRecord(
            zone=zone,
            code=code,
            talent=talent,
            service=service,
            partner=service.partner,
            window=window,
            scan=made[index],
            cti=made[index].cti,
            user=staff[service.partner_id],
            at=made[index].at + dt.timedelta(seconds=40),
        )
        for index, code, talent, service, window in planned
    )
    return len(made), len(planned)
