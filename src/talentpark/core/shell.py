"""The shell every app plugs into when it loads: navigation entries and home-page sections.

An app declares in its own ``shell.py`` (imported by its ``AppConfig.ready``) the menu entries
that lead to its pages and the sections it adds to each role's home, so adding an app touches
no other app's code:

    shell.nav("服务保障", "人才公寓", "housing:apartment_list", "housing.apartment.view", order=10)
    shell.talent_nav("人才公寓", "housing:apartment_list", "housing.apartment.view", order=60)
    shell.home_stat("可分配公寓", ApartmentUnit, {"status": "available"}, "housing:apartment_list", order=70)

    @shell.home_section({Role.TALENT}, "recruitment/_home_positions.html", order=40)
    def _positions(user): return {"positions": ...}  # None hides the section

Navigation groups appear in the order of :data:`NAV_GROUP_ORDER` (a group nobody fills is not
shown); entries within a group, talent entries and home sections by ``order``. Labels are
Chinese msgids, translated where they are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

# (label, url name, permission or None for every signed-in user of the role)
NavItem = tuple[str, str, str | None]

NAV_GROUP_ORDER = ("一网四库", "一窗受理", "政策兑现", "招聘引才", "服务保障", "系统管理")


@dataclass(frozen=True)
class _Entry:
    order: int
    item: NavItem


@dataclass(frozen=True)
class HomeSection:
    roles: frozenset[str]
    template: str
    order: int
    context: Callable[[Any], Mapping[str, Any] | None]


@dataclass(frozen=True)
class HomeStat:
    """A count on the staff home: the rows of ``model`` (matching ``filters``) the user may see."""

    label: str
    model: type[models.Model]
    filters: Mapping[str, Any]
    url_name: str
    order: int


_NAV: dict[str, dict[str, _Entry]] = {}
_TALENT_NAV: dict[str, _Entry] = {}
_SECTIONS: dict[str, HomeSection] = {}
_STATS: dict[str, HomeStat] = {}


def nav(group: str, label: str, url_name: str, perm: str | None, *, order: int) -> None:
    """A staff menu entry under ``group`` (one of :data:`NAV_GROUP_ORDER`)."""
    if group not in NAV_GROUP_ORDER:
        raise LookupError(f"unknown navigation group {group!r}")
    _NAV.setdefault(group, {})[url_name] = _Entry(order, (label, url_name, perm))


def talent_nav(label: str, url_name: str, perm: str | None, *, order: int) -> None:
    """An entry of the talent's flat bar (she never sees a staff registry)."""
    _TALENT_NAV[url_name] = _Entry(order, (label, url_name, perm))


def nav_groups() -> list[tuple[str, list[NavItem]]]:
    return [
        (group, [e.item for e in sorted(_NAV[group].values(), key=lambda e: e.order)])
        for group in NAV_GROUP_ORDER
        if _NAV.get(group)
    ]


def talent_items() -> list[NavItem]:
    return [e.item for e in sorted(_TALENT_NAV.values(), key=lambda e: e.order)]


def home_section(
    roles: Iterable[str], template: str, *, order: int
) -> Callable[[Callable[[Any], Mapping[str, Any] | None]], Callable[[Any], Mapping[str, Any] | None]]:
    """Register ``fn(user) -> context`` rendering ``template`` on the homes of ``roles``."""

    def deco(fn: Callable[[Any], Mapping[str, Any] | None]) -> Callable[[Any], Mapping[str, Any] | None]:
        _SECTIONS[f"{fn.__module__}.{fn.__qualname__}"] = HomeSection(frozenset(roles), template, order, fn)
        return fn

    return deco


def sections_for(role: str) -> list[HomeSection]:
    return sorted((s for s in _SECTIONS.values() if role in s.roles), key=lambda s: s.order)


def home_stat(
    label: str, model: type[models.Model], filters: Mapping[str, Any], url_name: str, *, order: int
) -> None:
    _STATS[label] = HomeStat(label, model, dict(filters), url_name, order)


def stats() -> list[HomeStat]:
    return sorted(_STATS.values(), key=lambda s: s.order)


# The kernel's own pages.
nav("系统管理", "通知公告", "core:announcement_list", "core.announcement.change", order=30)
nav("系统管理", "字典管理", "core:dictionary_list", "core.dictionary.change", order=32)
nav("系统管理", "参数管理", "core:parameter_list", "core.parameter.change", order=33)
nav("系统管理", "操作日志", "core:audit_list", "audit.view", order=40)
nav("系统管理", "定时任务", "core:job_list", "core.job.change", order=35)
nav("系统管理", "节假日与调休", "core:calendar_list", "core.calendar.change", order=34)

from talentpark.core import workcalendar  # noqa: E402  (the kernel's own home section; registers its check)
from talentpark.core.roles import Role  # noqa: E402


@home_section({Role.OFFICE}, "core/calendar_home.html", order=1)
def _calendar_missing(user: Any) -> Mapping[str, Any] | None:
    """A banner while this year's or (within 60 days) next year's holidays are not entered."""
    return workcalendar.home_warning()
