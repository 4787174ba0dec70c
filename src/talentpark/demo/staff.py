"""A zone's department tree and its staff logins (office, specialists, department handlers …)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from talentpark.accounts.models import Department
from talentpark.accounts.roles import Role
from talentpark.demo.identity import NameMaker
from talentpark.demo.specs import AccountSpec, DepartmentSpec, Numbering
from talentpark.demo.zones import ZoneProfile

DK = Department.Kind

# (local key, name, kind) of the departments under the office, in display order.
DEPARTMENTS = (
    ("service_centre", "人才服务中心", DK.SERVICE_CENTRE),
    ("housing", "住房和城乡建设局", DK.HOUSING),
    ("education", "教育和体育局", DK.EDUCATION),
    ("health", "卫生健康局", DK.HEALTH),
    ("public_security", "公安分局", DK.PUBLIC_SECURITY),
    ("hrss", "人力资源和社会保障局", DK.HRSS),
    ("tax", "税务局", DK.TAX),
    ("finance", "财政局", DK.FINANCE),
    ("science", "科技创新局", DK.SCIENCE),
    ("investment", "招商服务中心", DK.INVESTMENT),
)
TEAM_NAMES = ("专员服务一组", "专员服务二组", "专员服务三组")
PROVINCE_VIEWER = "sd_province"
SUPERUSER = "sysadmin"


@dataclass
class ZoneStaff:
    departments: list[DepartmentSpec]
    accounts: list[AccountSpec]
    specialists: list[AccountSpec]

    def account(self, username: str) -> AccountSpec:
        return next(a for a in self.accounts if a.username == username)


def dept_key(zone: ZoneProfile, local: str) -> str:
    return f"{zone.code}/{local}"


def plan_staff(
    zone: ZoneProfile,
    *,
    seed: int,
    numbering: Numbering,
    specialists: int,
    teams: int,
    main: bool,
) -> ZoneStaff:
    """Departments and staff accounts of one zone; the main zone also gets sysadmin and the province viewer."""
    rng = random.Random(f"{seed}:{zone.code}:staff")
    names = NameMaker(zone.surname_boost)
    p = zone.prefix

    def person_name() -> str:
        sex = rng.choice("MF")
        return names.full(rng, sex, rng.randint(1970, 1998))[0]

    root = dept_key(zone, "office")
    departments = [DepartmentSpec(root, "人才工作领导小组办公室", DK.OFFICE, None, 0)]
    for order, (local, name, kind) in enumerate(DEPARTMENTS, start=1):
        departments.append(DepartmentSpec(dept_key(zone, local), name, kind, root, order))
    team_keys = []
    for i, name in enumerate(TEAM_NAMES[:teams]):
        key = dept_key(zone, f"team{i + 1}")
        team_keys.append(key)
        departments.append(DepartmentSpec(key, name, DK.SERVICE_CENTRE, dept_key(zone, "service_centre"), i))

    def account(
        username: str, role: str, display: str, dept: str | None = None, **flags: bool
    ) -> AccountSpec:
        return AccountSpec(numbering.take("user"), username, role, display, zone.code, dept, **flags)

    accounts = [account(f"{p}_office", Role.OFFICE, person_name(), root, is_staff=True)]
    if main:
        accounts.append(account(SUPERUSER, Role.OFFICE, "系统管理员", root, is_staff=True, is_superuser=True))
    team_specialists = [
        account(f"{p}_specialist{n:02d}", Role.SPECIALIST, person_name(), team_keys[(n - 1) % len(team_keys)])
        for n in range(1, specialists + 1)
    ]
    accounts += team_specialists
    for local, _name, _kind in DEPARTMENTS[1:]:
        accounts.append(account(f"{p}_dept_{local}", Role.DEPT, person_name(), dept_key(zone, local)))
    accounts.append(account(f"{p}_ambassador", Role.AMBASSADOR, f"{person_name()}（{zone.ambassador_org}）"))
    accounts.append(account(f"{p}_partner", Role.PARTNER, zone.partner_name))
    if main:
        accounts.append(
            AccountSpec(
                numbering.take("user"),
                PROVINCE_VIEWER,
                Role.PROVINCE,
                f"{zone.province_name}人才工作办公室",
                None,
                province=zone.province,
            )
        )
    return ZoneStaff(departments, accounts, team_specialists)
