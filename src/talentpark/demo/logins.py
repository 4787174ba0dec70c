"""登录日志 of a demo zone: a week of sign-ins of its staff and some of its talents and enterprises,
with the failures, a lock, a timeout and a forced logout an office sees in a real week."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from talentpark.accounts.models import LoginEvent, User
from talentpark.core.models import Zone

K = LoginEvent.Kind
AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0 Safari/537.36 QIHU 360SE",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 MicroMessenger/8.0.47",
    "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Mobile Safari/537.36",
)


def write(zone: Zone, reference: dt.date, seed: int) -> int:
    rng = random.Random(f"logins:{seed}:{zone.code}")
    staff = list(User.objects.filter(zone=zone, role__in=("office", "specialist", "dept")).order_by("pk")[:8])
    public = list(User.objects.filter(zone=zone, role__in=("hr", "ambassador", "partner")).order_by("pk")[:6])
    start = timezone.make_aware(dt.datetime.combine(reference - dt.timedelta(days=7), dt.time(8, 30)))
    rows: list[LoginEvent] = []

    def add(
        at: dt.datetime, kind: str, user: User | None, ip: str, agent: str, detail: str = "", name: str = ""
    ) -> None:
        rows.append(
            LoginEvent(
                at=at,
                kind=kind,
                username=name or (user.username if user else ""),
                user=user,
                zone=zone,
                ip=ip,
                user_agent=agent,
                detail=detail,
            )
        )

    for day in range(7):
        for user in staff + public:
            if rng.random() < 0.3:
                continue
            at = start + dt.timedelta(days=day, minutes=rng.randint(0, 90))
            is_staff = user in staff
            ip = (
                f"10.16.{rng.randint(1, 20)}.{rng.randint(2, 250)}"
                if is_staff
                else f"223.99.{rng.randint(0, 255)}.{rng.randint(2, 250)}"
            )
            agent = AGENTS[rng.randint(0, 1)] if is_staff else AGENTS[rng.randint(0, 3)]
            if rng.random() < 0.15:
                add(at - dt.timedelta(minutes=1), K.FAILED, user, ip, agent, "密码错误")
            add(at, K.LOGIN, user, ip, agent)
            end = at + dt.timedelta(hours=rng.randint(1, 7), minutes=rng.randint(0, 59))
            if rng.random() < 0.25:
                add(end, K.TIMEOUT, user, ip, agent, "闲置超过30分钟" if is_staff else "闲置超过120分钟")
            else:
                add(end, K.LOGOUT, user, ip, agent)
    if staff:
        victim, office = staff[-1], staff[0]
        at = start + dt.timedelta(days=3, hours=2)
        ip = "10.16.9.77"
        for n in range(5):
            add(at + dt.timedelta(seconds=20 * n), K.FAILED, victim, ip, AGENTS[0], "密码错误")
        add(at + dt.timedelta(seconds=81), K.LOCKED, victim, ip, AGENTS[0], "连续登录失败5次，已临时锁定")
        later = start + dt.timedelta(days=5, hours=6)
        add(later, K.FORCED, victim, "10.16.3.21", AGENTS[1], f"由 {office.username} 强制下线")
    add(
        start + dt.timedelta(days=4, hours=22),
        K.FAILED,
        None,
        "61.135.7.9",
        AGENTS[0],
        "用户名不存在",
        name="admin",
    )
    rows.sort(key=lambda r: r.at)
    LoginEvent.objects.bulk_create(rows)
    return len(rows)
