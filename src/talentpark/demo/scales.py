"""Demo scales: how many of each thing a zone gets.

``seed`` is the scale the seed articles describe for Jining (700 key enterprises,
4,600 positions, 7,600 personnel demands, 4,800 apartments, 300 lecturers);
``Nx`` multiplies it; ``tiny`` is a small zone for tests and the second zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from talentpark.registry.models import Platform

K = Platform.Kind

SEED_PLATFORMS: dict[str, int] = {
    K.INCUBATOR: 16,
    K.MAKER_SPACE: 20,
    K.POSTDOC_STATION: 8,
    K.POSTDOC_BASE: 4,
    K.ACADEMICIAN: 3,
    K.RESEARCH_INSTITUTE: 30,
    K.KEY_LAB: 12,
    K.ENGINEERING_CENTRE: 18,
    K.ENTERPRISE_TECH_CENTRE: 30,
    K.SKILL_MASTER: 10,
    K.EXPERT_BASE: 3,
}


@dataclass(frozen=True)
class ZoneCounts:
    """Target counts for one zone."""

    label: str
    enterprises: int
    talents: int
    positions: int
    demands: int
    apartments: int
    lecturers: int
    projects: int
    platforms: dict[str, int] = field(default_factory=dict)
    specialists: int = 20
    hr_accounts: int = 50
    talent_logins: int = 200
    policies: int = 12

    def degree_quotas(self, reserved_phd: int = 0) -> dict[str, int]:
        """Exact numbers of each highest degree (the seed mix: half 专科, ~42% 本科, few doctors)."""
        n = self.talents
        postdoc = max(1, round(n * 8 / 35000))
        phd = max(3, round(n * 60 / 35000)) - reserved_phd
        master = max(8, round(n * 700 / 35000))
        rest = n - reserved_phd - postdoc - phd - master
        zhuanke = round(rest * 50 / 92)
        return {"PD": postdoc, "11": phd, "14": master, "21": rest - zhuanke, "31": zhuanke}


TINY = ZoneCounts(
    label="tiny",
    enterprises=20,
    talents=200,
    positions=60,
    demands=100,
    apartments=60,
    lecturers=10,
    projects=8,
    platforms={kind: 1 for kind in SEED_PLATFORMS} | {K.RESEARCH_INSTITUTE: 2, K.INCUBATOR: 2},
    specialists=4,
    hr_accounts=10,
    talent_logins=20,
)

SEED = ZoneCounts(
    label="seed",
    enterprises=700,
    talents=35000,
    positions=4600,
    demands=7600,
    apartments=4800,
    lecturers=300,
    projects=150,
    platforms=dict(SEED_PLATFORMS),
)

MAX_MULTIPLIER = 100
_MULTIPLE = re.compile(r"^(\d{1,3})x$")


class ScaleError(ValueError):
    """The scale argument is not tiny, seed or <N>x."""


def parse_scale(value: str) -> ZoneCounts:
    """``tiny``, ``seed`` or ``<N>x`` (N × seed, 1 ≤ N ≤ 100) → counts of the main zone."""
    text = (value or "").strip().lower()
    if text == "tiny":
        return TINY
    if text == "seed":
        return SEED
    match = _MULTIPLE.match(text)
    if not match or not 1 <= int(match.group(1)) <= MAX_MULTIPLIER:
        raise ScaleError(
            f"unknown scale {value!r}: use tiny, seed or <N>x with N from 1 to {MAX_MULTIPLIER} (e.g. 10x)"
        )
    n = int(match.group(1))
    return ZoneCounts(
        label=f"{n}x",
        enterprises=SEED.enterprises * n,
        talents=SEED.talents * n,
        positions=SEED.positions * n,
        demands=SEED.demands * n,
        apartments=SEED.apartments * n,
        lecturers=SEED.lecturers * n,
        projects=SEED.projects * n,
        platforms={kind: count * n for kind, count in SEED.platforms.items()},
    )
