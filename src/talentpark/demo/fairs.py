"""Job fairs of the demo zones: two past ones (an on-site 双选会 about three months before the
reference date and an online 空中双选会 about six weeks before) and one a week ahead, open for
registration.

A past fair is built around the demo's own applications: the day is one of the busiest of the
history, the applications made during its hours become the fair's résumés (source 招聘会, unchanged
otherwise: their events, interviews and scores stay what the recruitment phase wrote), their
enterprises take booths with the jobs applied to plus a few more of their positions, the
applicants are its visitors (checked in before they applied) with other job seekers, and some
visitors record intentions at booths. Runs after ``demo.recruitment``; a few hundred rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from typing import Any

from django.db.models.functions import TruncDate
from django.utils import timezone

from talentpark.core.models import Zone
from talentpark.demo.people import REFERENCE_DATE
from talentpark.recruitment.models import (
    Application,
    Fair,
    FairBooth,
    FairIntention,
    FairVisitor,
    JobSeeker,
    Position,
)

Through = FairBooth.positions.through
EXTRA_POSITIONS = 4
EXTRA_VISITORS = 0.6  # visitors who delivered nothing, per résumé
INTENTION_SHARE = 0.5


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def write(zone: Zone, seed: int) -> dict[str, int]:
    rng = random.Random(f"{seed}:{zone.code}:fairs")
    made: Counter[str] = Counter()
    office = zone_office(zone)
    plans = (
        ("onsite", 90, "高校毕业生春季双选会", "高新区人才市场一楼大厅", (9, 16)),
        ("online", 45, "空中双选会·重点产业专场", "园区招聘直播间", (14, 17)),
    )
    for kind, days_before, title, venue, hours in plans:
        day = _busy_day(zone, REFERENCE_DATE - dt.timedelta(days=days_before))
        if day is None:
            continue
        fair = Fair.objects.create(
            zone=zone,
            title=f"{zone.short_name}{day.year}年{title}",
            kind=kind,
            venue=venue,
            starts_at=_at(day, hours[0]),
            ends_at=_at(day, hours[1]),
            description="园区重点企业带岗参会，现场（线上）面谈、投递简历、登记意向。",
            created_by_id=office,
        )
        made["fairs"] += 1
        for key, n in _past(rng, zone, fair).items():
            made[key] += n
    upcoming_day = REFERENCE_DATE + dt.timedelta(days=7)
    fair = Fair.objects.create(
        zone=zone,
        title=f"{zone.short_name}{upcoming_day.year}年冬季人才招聘会",
        kind=Fair.Kind.ONSITE,
        venue="高新区人才市场一楼大厅",
        starts_at=_at(upcoming_day, 9),
        ends_at=_at(upcoming_day, 15),
        description="面向2027届高校毕业生和社会人才，欢迎企业报名参会。",
        created_by_id=office,
    )
    made["fairs"] += 1
    made["booths"] += _upcoming(rng, zone, fair)
    return dict(made)


def zone_office(zone: Zone) -> int | None:
    from talentpark.accounts.models import User
    from talentpark.core.roles import Role

    return (
        User.objects.filter(zone=zone, role=Role.OFFICE).order_by("pk").values_list("pk", flat=True).first()
    )


def _busy_day(zone: Zone, around: dt.date) -> dt.date | None:
    """The day within a fortnight of ``around`` with the most applications (a fair day)."""
    rows = (
        Application.objects.filter(
            zone=zone,
            created_at__date__gte=around - dt.timedelta(days=14),
            created_at__date__lte=around + dt.timedelta(days=14),
        )
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .order_by()
    )
    counts = Counter(d for (d,) in rows)
    return max(counts, key=lambda d: (counts[d], d)) if counts else None


def _past(rng: random.Random, zone: Zone, fair: Fair) -> dict[str, int]:
    apps = list(
        Application.objects.filter(
            zone=zone, created_at__gte=fair.starts_at, created_at__lt=fair.ends_at
        ).values_list("pk", "person_id", "position_id", "enterprise_id", "created_at")
    )
    if not apps:
        return {}
    Application.objects.filter(pk__in=[a[0] for a in apps]).update(source=Application.Source.FAIR, fair=fair)
    by_enterprise: dict[int, set[int]] = defaultdict(set)
    for _pk, _person, position, enterprise, _when in apps:
        by_enterprise[enterprise].add(position)
    more = defaultdict(list)
    for pk, ent in Position.objects.filter(enterprise_id__in=list(by_enterprise), zone=zone).values_list(
        "pk", "enterprise_id"
    ):
        more[ent].append(pk)
    booths = FairBooth.objects.bulk_create(
        [
            FairBooth(fair=fair, enterprise_id=ent, number=f"{i:03d}")
            for i, ent in enumerate(sorted(by_enterprise), 1)
        ]
    )
    links = []
    for booth in booths:
        chosen = set(by_enterprise[booth.enterprise_id])
        pool = [p for p in more[booth.enterprise_id] if p not in chosen]
        chosen.update(rng.sample(pool, min(EXTRA_POSITIONS, len(pool))))
        links += [Through(fairbooth_id=booth.pk, position_id=p) for p in sorted(chosen)]
    Through.objects.bulk_create(links)

    first_at: dict[int, dt.datetime] = {}
    for _pk, person, _position, _ent, at in apps:
        first_at[person] = min(at, first_at.get(person, at))
    others = [
        p
        for p in JobSeeker.objects.filter(zone=zone).order_by("person_id").values_list("person_id", flat=True)
        if p not in first_at
    ]
    extra = rng.sample(others, min(len(others), int(len(first_at) * EXTRA_VISITORS) + 5))
    visitors = []
    for person, applied in sorted(first_at.items()):
        arrived = max(fair.starts_at, applied - dt.timedelta(minutes=rng.randint(5, 40)))
        visitors.append(
            FairVisitor(
                fair=fair,
                person_id=person,
                registered_at=fair.starts_at - dt.timedelta(days=rng.randint(1, 10)),
                checked_in_at=arrived,
            )
        )
    span = int((fair.ends_at - fair.starts_at).total_seconds() // 60)
    for person in extra:
        came = rng.random() < 0.7
        visitors.append(
            FairVisitor(
                fair=fair,
                person_id=person,
                registered_at=fair.starts_at - dt.timedelta(days=rng.randint(1, 10)),
                checked_in_at=fair.starts_at + dt.timedelta(minutes=rng.randrange(span - 30))
                if came
                else None,
            )
        )
    FairVisitor.objects.bulk_create(visitors)
    booth_of = {b.enterprise_id: b for b in booths}
    intentions = []
    seen: set[tuple[int, int]] = set()
    for v in visitors:
        if v.checked_in_at is None or rng.random() > INTENTION_SHARE:
            continue
        for booth in rng.sample(booths, min(len(booths), rng.randint(1, 3))):
            if (booth.pk, v.person_id) in seen:
                continue
            seen.add((booth.pk, v.person_id))
            at = min(
                fair.ends_at - dt.timedelta(minutes=1),
                v.checked_in_at + dt.timedelta(minutes=rng.randint(5, 90)),
            )
            intentions.append(FairIntention(booth=booth, person_id=v.person_id, at=at))
    for _pk, person, _position, ent, at in apps:  # who delivered a résumé said so at the booth too
        booth = booth_of[ent]
        if (booth.pk, person) not in seen:
            seen.add((booth.pk, person))
            intentions.append(FairIntention(booth=booth, person_id=person, at=at))
    FairIntention.objects.bulk_create(intentions)
    return {
        "booths": len(booths),
        "visitors": len(visitors),
        "intentions": len(intentions),
        "resumes": len(apps),
    }


def _upcoming(rng: random.Random, zone: Zone, fair: Fair) -> int:
    """A few enterprises with open jobs have taken booths; some seekers (and the demo talent) registered."""
    open_jobs = defaultdict(list)
    for pk, ent in (
        Position.objects.filter(zone=zone, status=Position.Status.OPEN, closes_on__isnull=True)
        .values_list("pk", "enterprise_id")
        .order_by("pk")
    ):
        open_jobs[ent].append(pk)
    enterprises = sorted(open_jobs)
    chosen = rng.sample(enterprises, min(len(enterprises), 12))
    booths = FairBooth.objects.bulk_create(
        [
            FairBooth(fair=fair, enterprise_id=ent, number=f"{i:03d}")
            for i, ent in enumerate(sorted(chosen), 1)
        ]
    )
    Through.objects.bulk_create(
        [
            Through(fairbooth_id=b.pk, position_id=p)
            for b in booths
            for p in open_jobs[b.enterprise_id][: rng.randint(1, 5)]
        ]
    )
    seekers = list(
        JobSeeker.objects.filter(zone=zone).order_by("person_id").values_list("person_id", flat=True)
    )
    now = timezone.make_aware(dt.datetime.combine(REFERENCE_DATE, dt.time(10)))
    FairVisitor.objects.bulk_create(
        [
            FairVisitor(fair=fair, person_id=p, registered_at=now - dt.timedelta(hours=rng.randint(1, 72)))
            for p in rng.sample(seekers, min(len(seekers), 40))
        ]
    )
    return len(booths)


def summary(made: dict[str, Any]) -> str:
    return (
        f"招聘会 {made.get('fairs', 0)} 场、展位 {made.get('booths', 0)} 个、到场人才 {made.get('visitors', 0)} 人次、"
        f"现场意向 {made.get('intentions', 0)} 条、现场简历 {made.get('resumes', 0)} 份"
    )
