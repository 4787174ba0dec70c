"""Roles and data scopes: who a user is in the zone. What each role may do is granted by the
apps themselves (each app's ``permissions.py``, registered with ``core.access.grant`` when the app
loads); *which rows* by the scope functions in each app's ``access.py``."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    TALENT = "talent", "人才"
    HR = "hr", "企业人事"
    SPECIALIST = "specialist", "服务专员"
    DEPT = "dept", "部门经办"
    OFFICE = "office", "人才办管理员"
    AMBASSADOR = "ambassador", "引才大使"
    PARTNER = "partner", "合作窗口"
    PROVINCE = "province", "省级查看"


class DataScope(models.TextChoices):
    ALL = "all", "全部数据"
    DEPT_AND_BELOW = "dept_and_below", "本部门及以下"
    DEPT = "dept", "本部门"
    SELF = "self", "仅本人"


DEFAULT_SCOPE = {
    Role.OFFICE: DataScope.ALL,
    Role.SPECIALIST: DataScope.SELF,
    Role.DEPT: DataScope.DEPT,
}

STAFF_ROLES = frozenset({Role.SPECIALIST, Role.DEPT, Role.OFFICE})

# Names and contacts of people shown on records that are not themselves personal (an
# enterprise's contact, a project's leader, a record's specialist). Every role holds it but
# the province viewer, who sees figures, never people.
PEOPLE_VIEW = "core.people.view"
