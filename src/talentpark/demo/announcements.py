"""通知公告 of a demo zone: one live announcement for each audience, and one that has closed."""

from __future__ import annotations

import datetime as dt

from talentpark.accounts.models import Department, User
from talentpark.core.models import Announcement, Zone

A = Announcement.Audience


def write(zone: Zone, reference: dt.date) -> int:
    office = User.objects.filter(zone=zone, role="office").order_by("pk").first()
    housing = Department.objects.filter(zone=zone, kind=Department.Kind.HOUSING).order_by("pk").first()
    place = zone.short_name or zone.name
    rows = [
        (
            A.TALENTS,
            None,
            f"关于{place}2026年度高层次人才子女入学服务的通知",
            "已认定的A至D类人才，其子女申请就读园区内公办学校的，可在12月20日前向所属服务专员提交申请，"
            "由专员代办至教育部门，结果将通过站内信告知。",
            reference + dt.timedelta(days=20),
            None,
        ),
        (
            A.ENTERPRISES,
            None,
            f"关于申报{place}2026年度企业引才奖补的通知",
            "今年新引进全职博士、硕士的企业，可在“政策兑现”中核对系统已比对出的名单，"
            "确认无误后由企业人事提交，无需另行报送纸质材料。",
            reference + dt.timedelta(days=18),
            None,
        ),
        (
            A.STAFF,
            None,
            "12月人才服务专员走访安排",
            "各服务专员请在本月完成包保企业的月度走访，走访中企业提出的诉求当日录入。",
            reference + dt.timedelta(days=25),
            None,
        ),
        (
            A.EVERYONE,
            None,
            "系统维护通知",
            "平台已于11月8日晚完成维护。",
            reference + dt.timedelta(days=5),
            reference + dt.timedelta(days=8),  # closed: no longer on any home
        ),
    ]
    if housing is not None:
        rows.append(
            (
                A.DEPARTMENT,
                housing,
                "人才公寓年度入住核查工作安排",
                "请住建部门在12月底前完成在住人才的年度资格核查，核查结果录入系统。",
                reference + dt.timedelta(days=22),
                None,
            )
        )
    Announcement.objects.bulk_create(
        Announcement(
            zone=zone,
            audience=audience,
            department=department,
            title=title,
            body=body,
            publish_on=publish_on,
            expires_on=expires_on,
            status=Announcement.Status.PUBLISHED,
            created_by=office,
        )
        for audience, department, title, body, publish_on, expires_on in rows
    )
    return len(rows)
