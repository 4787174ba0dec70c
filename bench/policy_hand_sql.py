"""Hand-written SQL for every demo policy: the limit the compiled SQL is measured against.

Raw codes instead of labels, cut-off dates computed once, ``EXISTS`` against indexed child tables
instead of aggregated derived tables. ``POLICIES`` keys name these queries and the OpenFisca
variables (``eligible_<key>``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

# Policy key → (the spec constant in talentpark.demo.policy_rules, version number). The keys name
# the hand-written queries below and the OpenFisca variables (``eligible_<key>``).
POLICIES: dict[str, tuple[str, int]] = {
    "certification": ("CERTIFICATION", 1),
    "settling_2024": ("SETTLING", 1),
    "apartment": ("APARTMENT", 1),
    "rent": ("RENT", 1),
    "living_v1": ("LIVING", 1),
    "living_v2": ("LIVING", 2),
    "spouse": ("SPOUSE", 1),
    "schooling": ("SCHOOLING", 1),
    "medical": ("MEDICAL", 1),
    "platform_reward": ("PLATFORM_REWARD", 1),
    "challenge": ("CHALLENGE", 1),
    "skills": ("SKILLS", 1),
    "settling_2021": ("SETTLING_2021", 1),
}


# -- hand-written SQL ------------------------------------------------------------------------------


def years_before(today: dt.date, years: int) -> dt.date:
    """The latest date at least ``years`` whole years before ``today`` (29 Feb → 28 Feb), so that
    "completed years since d ≥ n" ⇔ ``d <= years_before(today, n)``, as the catalogue counts them."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


class Hand:
    """SQL fragments for one vendor and as-of date."""

    def __init__(self, vendor: str, zone_id: int, today: dt.date) -> None:
        self.pg = vendor == "postgresql"
        self.zone = int(zone_id)
        self.today = today

    def d(self, day: dt.date | str) -> str:
        iso = day if isinstance(day, str) else day.isoformat()
        return f"DATE '{iso}'" if self.pg else f"'{iso}'"

    def years_ago(self, years: int) -> str:
        """The cut-off date ``years`` whole years before today, computed once here: the vendors'
        date arithmetic disagrees from 29 February (SQLite's ``date(x, '-18 years')`` lands on
        1 March, PostgreSQL's interval on 28 February), the calendar does not."""
        return self.d(years_before(self.today, years))

    def talents(self, where: str, person: bool = False) -> str:
        join = " JOIN registry_person p ON p.id = t.person_id" if person else ""
        return (
            f"SELECT t.id FROM registry_talent t{join}"  # noqa: S608 — constants only
            f" WHERE t.zone_id = {self.zone} AND t.status = 'active' AND {where}"
        )

    def tier_in(self, *tiers: str) -> str:
        listed = ", ".join(f"'{t}'" for t in tiers)
        return (
            f"t.tier IN ({listed})"
            f" AND (t.tier_valid_until IS NULL OR t.tier_valid_until >= {self.d(self.today)})"
        )

    def younger_than(self, column: str, years: int) -> str:
        """Completed years since ``column`` < ``years``."""
        return f"{column} > {self.d(years_before(self.today, years))}"


# Raw codes: registry_person.highest_degree 31 专科, 21 本科, 14 硕士, 11 博士, PD 博士后;
# professional_title 4 初级 … 1 正高级; skill_level 5 初级工 … 1 高级技师.
BACHELOR_UP = "('21', '14', '11', 'PD')"
HOUSING_KNOWN_NOT_OWNED = "('rented', 'apartment', 'dormitory', 'none')"


def _certification(h: Hand) -> str:
    return h.talents(
        "t.employer_id IS NOT NULL AND (t.programme_level IN ('national', 'provincial', 'municipal')"
        " OR p.highest_degree IN ('14', '11', 'PD') OR t.professional_title IN ('3', '2', '1')"
        " OR t.skill_level IN ('2', '1'))",
        person=True,
    )


def _settling_2024(h: Hand) -> str:
    return h.talents(
        f"t.employer_id IS NOT NULL AND t.zone_entry_date >= {h.d('2024-06-01')}"
        f" AND p.highest_degree IN {BACHELOR_UP} AND {h.younger_than('t.zone_entry_date', 3)}",
        person=True,
    )


def _apartment(h: Hand) -> str:
    return h.talents(
        f"(t.tier IN ('A', 'B', 'C', 'D', 'E') AND (t.tier_valid_until IS NULL"
        f" OR t.tier_valid_until >= {h.d(h.today)}) OR {h.younger_than('p.birth_date', 36)}"
        f" AND p.highest_degree IN {BACHELOR_UP}) AND t.housing IN {HOUSING_KNOWN_NOT_OWNED}",
        person=True,
    )


def _rent(h: Hand) -> str:
    return h.talents(
        f"{h.younger_than('p.birth_date', 36)} AND p.highest_degree IN ('31', '21', '14', '11', 'PD')"
        f" AND t.employer_id IS NOT NULL AND t.housing = 'rented' AND {h.younger_than('t.zone_entry_date', 3)}",
        person=True,
    )


def _graduated_within(h: Hand, years: int) -> str:
    """Completed years since the latest graduation ≤ ``years`` (no education: not eligible)."""
    cut = h.d(years_before(h.today, years + 1))
    return (
        "EXISTS (SELECT 1 FROM registry_education ed WHERE ed.person_id = t.person_id"  # noqa: S608
        f" AND ed.graduated_on > {cut})"
    )


def _living_v1(h: Hand) -> str:
    return h.talents(
        f"p.highest_degree IN ('14', '21') AND t.employer_id IS NOT NULL AND {_graduated_within(h, 3)}",
        person=True,
    )


def _living_v2(h: Hand) -> str:
    return h.talents(
        f"p.highest_degree IN ('14', '21') AND t.employer_id IS NOT NULL"
        f" AND t.zone_entry_date >= {h.d('2025-05-01')} AND {h.younger_than('t.zone_entry_date', 3)}"
        f" AND {_graduated_within(h, 3)}",
        person=True,
    )


def _spouse(h: Hand) -> str:
    return h.talents(
        f"{h.tier_in('A', 'B', 'C')} AND EXISTS (SELECT 1 FROM registry_familymember f"  # noqa: S608
        " WHERE f.person_id = t.person_id AND f.relation = 'spouse' AND f.employment = 'seeking')"
    )


def _schooling(h: Hand) -> str:
    return h.talents(
        f"{h.tier_in('A', 'B', 'C', 'D')} AND EXISTS (SELECT 1 FROM registry_familymember f"  # noqa: S608
        f" WHERE f.person_id = t.person_id AND f.relation = 'child' AND f.birth_date > {h.years_ago(18)})"
    )


def _medical(h: Hand) -> str:
    return h.talents(h.tier_in("A", "B", "C"))


def _platform_reward(h: Hand) -> str:
    return (
        f"SELECT e.id FROM registry_enterprise e WHERE e.zone_id = {h.zone}"  # noqa: S608
        " AND EXISTS (SELECT 1 FROM registry_platform pl WHERE pl.enterprise_id = e.id"
        " AND pl.kind IN ('academician', 'postdoc_station', 'postdoc_base')"
        f" AND pl.level IN ('national', 'provincial') AND pl.approved_on > {h.years_ago(1)})"
    )


def _challenge(h: Hand) -> str:
    return (
        f"SELECT e.id FROM registry_enterprise e WHERE e.zone_id = {h.zone} AND e.is_key"  # noqa: S608
        " AND e.id IN (SELECT enterprise_id FROM registry_project WHERE kind = 'challenge'"
        " AND status IN ('approved', 'building', 'producing') AND enterprise_id IS NOT NULL"
        " GROUP BY enterprise_id HAVING SUM(investment) > 0)"
    )


def _skills(h: Hand) -> str:
    return h.talents("t.employer_id IS NOT NULL AND t.skill_level IN ('3', '2', '1')")


def _settling_2021(h: Hand) -> str:
    return h.talents(
        f"p.highest_degree IN ('11', '14') AND t.employer_id IS NOT NULL"
        f" AND t.zone_entry_date >= {h.d('2021-01-12')} AND t.zone_entry_date <= {h.d('2023-12-31')}",
        person=True,
    )


HAND_SQL: dict[str, Callable[[Hand], str]] = {
    "certification": _certification,
    "settling_2024": _settling_2024,
    "apartment": _apartment,
    "rent": _rent,
    "living_v1": _living_v1,
    "living_v2": _living_v2,
    "spouse": _spouse,
    "schooling": _schooling,
    "medical": _medical,
    "platform_reward": _platform_reward,
    "challenge": _challenge,
    "skills": _skills,
    "settling_2021": _settling_2021,
}
