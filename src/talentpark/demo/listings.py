"""What a zone offers and asks for: positions, personnel demands, apartments, lecturers.

Each planner method is a generator, so a large scale streams in batches.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from talentpark.core.codes import DEGREE_RANK, Degree, ProfessionalTitle
from talentpark.demo import vocab
from talentpark.demo.codebook import codebook
from talentpark.demo.enterprises import split_counts
from talentpark.demo.identity import PHONE_RANGE_LECTURERS, IdentityPool, NameMaker, WeightedChoice
from talentpark.demo.specs import ApartmentSpec, DemandSpec, EnterpriseSpec, LecturerSpec, PositionSpec
from talentpark.demo.zones import ZoneProfile
from talentpark.housing.models import ApartmentUnit
from talentpark.recruitment.models import PersonnelDemand, Position
from talentpark.registry.models import ChainRole

REFERENCE_DATE = dt.date(2026, 11, 1)
DEGREE_BY_RANK = {DEGREE_RANK[d]: d for d in Degree}
DEGREE_LABEL = {d.value: d.label for d in Degree}
SALARY_BANDS: dict[str, Any] = {  # 元/月, Jining level, by lowest degree asked
    Degree.ZHUANKE: (4000, 8000),
    Degree.BENKE: (5000, 12000),
    Degree.SHUOSHI: (8000, 18000),
    Degree.BOSHI: (15000, 28000),
    Degree.BOSHIHOU: (18000, 30000),
}
SALARY_CAP = 30000
DUTIES = {
    "rnd": "负责产品和关键技术的研发设计，编制技术方案，参与样机试制与试验验证",
    "engineering": "负责生产工艺和设备的技术支持，解决现场技术问题，推动工艺改进和降本增效",
    "production": "按工艺文件完成生产操作，做好设备日常点检和保养，遵守安全生产规程",
    "quality": "负责原材料、过程和成品的检验，分析质量问题并跟踪整改，维护质量体系运行",
    "management": "负责本部门日常管理工作，完善制度流程，做好内外部沟通协调",
    "sales": "负责区域市场开拓和客户维护，完成销售目标，收集市场与竞品信息",
    "it": "负责软件系统的需求分析、设计开发、测试和上线运维，编写技术文档",
    "medical": "负责药物或医疗器械的研究开发，设计并实施实验方案，整理申报资料",
}
DEMAND_NOTES = (
    "", "", "", "可提供人才公寓", "年薪面议", "需有三年以上相关工作经验", "博士可协助解决配偶就业",
    "可享受高新区安家补贴", "倒班岗位，提供食宿", "优先考虑有海外研发经历者",
)  # fmt: skip
LAYOUTS: dict[str, Any] = {
    ApartmentUnit.Kind.EXPERT: (("2b", 50), ("3b", 35), ("1b", 15)),
    ApartmentUnit.Kind.YOUTH: (("studio", 30), ("1b", 45), ("2b", 25)),
    ApartmentUnit.Kind.BLUE_COLLAR: (("studio", 80), ("1b", 20)),
}
AREAS = {"studio": (25, 40), "1b": (40, 62), "2b": (70, 98), "3b": (100, 140)}
RENT_PER_M2: dict[str, Any] = {
    ApartmentUnit.Kind.EXPERT: 22,
    ApartmentUnit.Kind.YOUTH: 18,
    ApartmentUnit.Kind.BLUE_COLLAR: 12,
}
UNIT_STATUSES = (("occupied", 58), ("available", 32), ("reserved", 6), ("maintenance", 4))


def _weighted(rng: random.Random, options) -> str:  # type: ignore[no-untyped-def]
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


def _round(value: float, step: int) -> int:
    return int(round(value / step) * step)


class ListingPlanner:
    def __init__(
        self,
        zone: ZoneProfile,
        *,
        seed: int,
        enterprises: list[EnterpriseSpec],
        identities: IdentityPool,
        phone_offset: int = 0,
    ) -> None:
        self.zone, self.seed, self.enterprises, self.identities = zone, seed, enterprises, identities
        self.phone_offset = PHONE_RANGE_LECTURERS + phone_offset
        self.book = codebook()
        weights = [
            math.sqrt(e.employee_count) * (3 if e.role != ChainRole.SUPPORTING else 1) for e in enterprises
        ]
        self.hiring = WeightedChoice(enterprises, weights)

    def _rng(self, topic: str) -> random.Random:
        return random.Random(f"{self.seed}:{self.zone.code}:{topic}")

    def _job(self, rng: random.Random, enterprise: EnterpriseSpec) -> tuple[vocab.Job, str, str]:
        """A job, its lowest degree (sometimes raised a step) and a major (or "" for any)."""
        job = rng.choice(vocab.CHAIN_JOBS[enterprise.family] + vocab.COMMON_JOBS)
        rank = DEGREE_RANK[job.min_degree]
        if rng.random() < 0.2 and rank < 4:
            rank += 1
        degree = DEGREE_BY_RANK[rank]
        family = "digital" if job.category == "it" else enterprise.family
        major = self.book.major_for_job(rng, job.majors, family, degree) if rng.random() < 0.65 else ""
        return job, degree, major

    def positions(self, count: int) -> Iterator[PositionSpec]:
        rng = self._rng("positions")
        for _ in range(count):
            enterprise = self.hiring(rng)
            job, degree, major = self._job(rng, enterprise)
            low, high = SALARY_BANDS[degree]
            bonus = (
                1.15
                if job.category in ("rnd", "it", "medical")
                else 0.95
                if job.category == "production"
                else 1
            )
            salary_min = max(4000, _round(rng.uniform(low, (low + high) / 2) * bonus, 500))
            salary_max = min(
                SALARY_CAP, max(salary_min + 500, _round(salary_min + rng.uniform(1000, 8000), 500))
            )
            salary_min = min(salary_min, salary_max)
            is_open = rng.random() < 0.85
            published = REFERENCE_DATE - dt.timedelta(
                days=rng.randrange(0, 180) if is_open else rng.randrange(30, 365)
            )
            requirement = f"{DEGREE_LABEL[degree]}及以上学历，{major or '专业不限'}{'专业' if major else ''}"
            yield PositionSpec(
                zone_code=self.zone.code,
                enterprise_no=enterprise.no,
                title=job.title,
                category=job.category,
                headcount=rng.randint(2, 20) if job.category == "production" else rng.randint(1, 5),
                min_degree=degree,
                major=major,
                salary_min=salary_min,
                salary_max=salary_max,
                description=f"岗位职责：{DUTIES[job.category]}。任职要求：{requirement}；工作地点：{self.zone.short_name}。",
                status=Position.Status.OPEN if is_open else Position.Status.CLOSED,
                published_on=published,
            )

    def demands(self, count: int) -> Iterator[DemandSpec]:
        rng = self._rng("demands")
        U, S = PersonnelDemand.Urgency, PersonnelDemand.Status
        for _ in range(count):
            enterprise = self.hiring(rng)
            job, degree, major = self._job(rng, enterprise)
            urgency = _weighted(rng, ((U.NORMAL, 55), (U.URGENT, 30), (U.SCARCE, 15)))
            title = job.title
            if rng.random() < 0.25:
                title = f"{rng.choice(vocab.TOPICS[enterprise.family])}方向{'研发' if DEGREE_RANK[degree] >= 2 else '技能'}人才"
            yield DemandSpec(
                zone_code=self.zone.code,
                enterprise_no=enterprise.no,
                title=title,
                major=major,
                min_degree=degree,
                count=rng.randint(1, 3) if urgency == U.SCARCE else rng.randint(1, 10),
                urgency=urgency,
                reported_on=REFERENCE_DATE - dt.timedelta(days=rng.randrange(365)),
                status=_weighted(rng, ((S.OPEN, 80), (S.MET, 15), (S.WITHDRAWN, 5))),
                note=rng.choice(DEMAND_NOTES),
            )

    def apartments(self, count: int) -> Iterator[ApartmentSpec]:
        rng = self._rng("apartments")
        estates = self.zone.estates
        for estate, n in zip(estates, split_counts(count, [e.share for e in estates]), strict=True):
            made, building = 0, 0
            while made < n:
                building += 1
                if "{L}" in estate.building_style and building <= 26:
                    label = estate.building_style.format(L=chr(ord("A") + building - 1))
                else:
                    label = f"{building}号楼"
                kind = _weighted(rng, estate.kinds)
                floors = rng.randint(*estate.floors)
                for floor in range(1, floors + 1):
                    for room in range(1, estate.rooms_per_floor + 1):
                        if made >= n:
                            break
                        layout = _weighted(rng, LAYOUTS[kind])
                        area = (
                            rng.uniform(*AREAS[layout])
                            if kind != "blue"
                            else rng.uniform(25, 35 if layout == "studio" else 48)
                        )
                        rent = _round(area * RENT_PER_M2[kind] * rng.uniform(0.9, 1.1), 10)
                        yield ApartmentSpec(
                            zone_code=self.zone.code,
                            estate=estate.name,
                            building=label,
                            unit_no=f"{floor}{room:02d}",
                            kind=kind,
                            layout=layout,
                            area=Decimal(f"{area:.2f}"),
                            monthly_rent=Decimal(rent).quantize(Decimal("0.01")),
                            furnished=rng.random() < 0.9,
                            status=_weighted(rng, UNIT_STATUSES),
                        )
                        made += 1

    def lecturers(self, count: int, seniors: dict[int, list[tuple[int, str]]]) -> Iterator[LecturerSpec]:
        """Lecturers from universities, chain-master and leading enterprises and zone bodies."""
        rng = self._rng("lecturers")
        names = NameMaker(self.zone.surname_boost)
        T = ProfessionalTitle
        universities = [u.name for u in self.book.universities if u.province == self.zone.province] or [
            u.name for u in self.book.universities if u.is_985
        ]
        big = [e for e in self.enterprises if e.role != ChainRole.SUPPORTING]
        bodies = (*self.zone.hosts, f"{self.zone.city_name}职业技能公共实训基地")
        for n in range(count):
            r = rng.random()
            talent_no = None
            family = rng.choice(self.zone.chains).family
            if r < 0.4:
                organisation = rng.choice(universities)
                name = names.full(rng, rng.choice("MF"), rng.randint(1962, 1990))[0]
            elif r < 0.75:
                enterprise = rng.choice(big)
                organisation, family = enterprise.name, enterprise.family
                linked = seniors.get(enterprise.no)
                if linked and rng.random() < 0.6:
                    talent_no, name = rng.choice(linked)
                else:
                    name = names.full(rng, rng.choice("MF"), rng.randint(1968, 1992))[0]
            else:
                organisation = rng.choice(bodies)
                family = "general"
                name = names.full(rng, rng.choice("MF"), rng.randint(1965, 1992))[0]
            specialties = vocab.LECTURE_SPECIALTIES[family if rng.random() < 0.6 else "general"]
            specialty = rng.choice(specialties)
            others = rng.sample(specialties, min(2, len(specialties)))
            courses = [f"{specialty}{rng.choice(vocab.COURSE_FORMS)}"] + [
                f"{o}{rng.choice(vocab.COURSE_FORMS)}" for o in others if o != specialty
            ]
            yield LecturerSpec(
                zone_code=self.zone.code,
                name=name,
                organisation=organisation,
                professional_title=_weighted(rng, ((T.SENIOR, 30), (T.VICE_SENIOR, 45), (T.MIDDLE, 25))),
                specialty=specialty,
                courses="\n".join(courses),
                phone=self.identities.mobile(rng, self.phone_offset + n),
                talent_no=talent_no,
            )
