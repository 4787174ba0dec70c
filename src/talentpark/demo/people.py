"""Talents of a zone: a person with ID number, education and family, and her talent record.

:class:`TalentFactory` yields :class:`TalentBundle` records one at a time, so a large
zone streams through in chunks. Values are correlated the way a talent office would
expect: degree drives age, university and salary band; age drives titles, family and
housing; the employer's chain drives majors and job titles.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from talentpark.accounts.roles import Role
from talentpark.core.codes import DEGREE_RANK, Degree, ProfessionalTitle, ProgrammeLevel, Sex, SkillLevel
from talentpark.demo import vocab
from talentpark.demo.codebook import codebook
from talentpark.demo.identity import (
    BANKS,
    PHONE_RANGE_PEOPLE,
    IdentityPool,
    NameMaker,
    WeightedChoice,
    name_pinyin,
)
from talentpark.demo.scales import ZoneCounts
from talentpark.demo.specs import (
    AccountSpec,
    EducationSpec,
    EnterpriseSpec,
    FamilySpec,
    Numbering,
    PersonSpec,
    TalentBundle,
    TalentSpec,
)
from talentpark.demo.universities import UniversityChooser
from talentpark.demo.zones import ZoneProfile
from talentpark.registry.models import FamilyMember, Talent

REFERENCE_DATE = dt.date(2026, 11, 1)
Z, B, S, D, PD = (Degree.ZHUANKE, Degree.BENKE, Degree.SHUOSHI, Degree.BOSHI, Degree.BOSHIHOU)
TIER, HOUSING, STATUS = Talent.Tier, Talent.Housing, Talent.Status

AGE_SHAPE: dict[str, Any] = {
    Z: (20.5, 55, 27),
    B: (22.5, 58, 29),
    S: (25.5, 58, 32),
    D: (29.5, 62, 38),
    PD: (31.5, 52, 36),
}
RETURNEE_RATE: dict[str, Any] = {Z: 0.0, B: 0.1, S: 0.25, D: 0.35, PD: 0.4}
CATEGORY_WEIGHTS: dict[str, Any] = {
    Z: {"production": 6, "quality": 2, "engineering": 1, "it": 1.5, "sales": 1, "management": 0.8, "rnd": 0.1, "medical": 0.2},
    B: {"rnd": 2, "engineering": 2.5, "quality": 1.2, "it": 2, "management": 1.5, "sales": 1, "production": 0.6, "medical": 1.2},
    S: {"rnd": 5, "medical": 5, "engineering": 1.5, "it": 3, "management": 0.5, "quality": 0.5, "sales": 0.1, "production": 0.05},
}  # fmt: skip
SENIOR_TITLES = ("总工程师", "技术总监", "研发中心主任", "副总经理", "质量总监")
EARLIEST_ENTRY = dt.date(2005, 1, 1)
NEAREST_FAMILY = {"auto": "machinery"}  # for a zone without an automotive chain
MOVER_STATUSES = (STATUS.ACTIVE, STATUS.ACTIVE, STATUS.ACTIVE, STATUS.LEFT, STATUS.LEFT)  # in the main zone
BANK_ACCOUNT_RATE = 0.85  # talents whose salary card is on file (the rest have not declared one yet)


def years_between(start: dt.date, end: dt.date) -> float:
    return (end - start).days / 365.25


def date_in_year(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


class QuotaDraw:
    """Draws without replacement from exact quotas, so totals match the plan exactly."""

    def __init__(self, quotas: dict[str, int]) -> None:
        self.left = dict(quotas)

    def __call__(self, rng: random.Random) -> str:
        total = sum(self.left.values())
        if total <= 0:
            return Z
        r = rng.randrange(total)
        for key, n in self.left.items():
            if r < n:
                self.left[key] -= 1
                return key
            r -= n
        raise AssertionError


class TalentFactory:
    """Yields a zone's talents. The main zone's first talent is the demo login ``<p>_talent_demo``."""

    def __init__(
        self,
        zone: ZoneProfile,
        counts: ZoneCounts,
        *,
        seed: int,
        numbering: Numbering,
        identities: IdentityPool,
        enterprises: list[EnterpriseSpec],
        specialists: list[AccountSpec],
        main: bool,
        incoming_movers: list[TalentBundle] | None = None,
    ) -> None:
        self.zone, self.counts, self.main = zone, counts, main
        self.rng = random.Random(f"{seed}:{zone.code}:talents")
        # Bank cards draw from their own stream, so adding them changed no other value.
        self.bank_rng = random.Random(f"{seed}:{zone.code}:banks")
        self._bank = WeightedChoice(list(BANKS), [b.weight for b in BANKS])
        self._city = zone.city_name.removesuffix("市")
        self.numbering, self.identities = numbering, identities
        self.book = codebook()
        self.names = NameMaker(zone.surname_boost)
        self.universities = {
            c.family: UniversityChooser(self.book, zone.province, c.family) for c in zone.chains
        }
        self.enterprises = enterprises
        self.employer = WeightedChoice(enterprises, [e.employee_count for e in enterprises])
        self.specialists = specialists
        self.quota = QuotaDraw(counts.degree_quotas(reserved_phd=1 if main else 0))
        self.incoming_movers = incoming_movers or []
        self.movers: list[TalentBundle] = []  # main zone: the persons who also have a record elsewhere
        self.seniors: dict[int, list[tuple[int, str]]] = {}  # enterprise no → (talent no, name) of seniors
        self._logins = 0
        self._birthplaces: dict[int, WeightedChoice] = {}
        self._jobs: dict[tuple[str, str], WeightedChoice] = {}
        self._other_provinces = WeightedChoice(
            [p for p, _ in zone.other_provinces], [w for _, w in zone.other_provinces]
        )
        home_prefectures = self.book.prefectures_by_province[zone.province]
        self._home_prefectures = [p for p in home_prefectures if p != zone.division]

    def __len__(self) -> int:
        return self.counts.talents + len(self.incoming_movers)

    def __iter__(self) -> Iterator[TalentBundle]:
        for bundle in self.incoming_movers:
            yield self._incoming(bundle)
        for index in range(self.counts.talents):
            yield self._talent(index)

    # one talent ------------------------------------------------------------------------

    def _talent(self, index: int) -> TalentBundle:
        rng, zone = self.rng, self.zone
        demo = self.main and index == 0
        degree = D if demo else self.quota(rng)
        employer = self.enterprises[0] if demo else (self.employer(rng) if rng.random() < 0.98 else None)
        family = employer.family if employer else rng.choice(self.zone.chains).family
        male_share = next(
            (c.male_share for c in zone.chains if employer and c.code == employer.chain_code), 0.7
        )
        sex = Sex.FEMALE if demo else (Sex.MALE if rng.random() < male_share else Sex.FEMALE)
        low, high, mode = AGE_SHAPE[degree]
        age = 38.4 if demo else rng.triangular(low, high, mode)
        birth = REFERENCE_DATE - dt.timedelta(days=int(age * 365.25))
        postgrad = DEGREE_RANK[degree] >= 3
        birth_division = self._birth_division(birth.year, postgrad)
        surname = self.names.surname(rng)
        given = self.names.given(rng, sex, birth.year)
        name, pinyin = surname + given, name_pinyin(surname, given)
        person_no = self.numbering.take("person")
        id_number = self.identities.resident_id(rng, birth_division, birth, sex)
        phone = self.identities.mobile(rng, PHONE_RANGE_PEOPLE + person_no)

        country = ""
        if not demo and rng.random() < RETURNEE_RATE[degree]:
            country = _weighted(rng, vocab.RETURNEE_COUNTRIES)
        job = self._job(family, degree)
        educations = self._educations(degree, birth, family, birth_division[:2] + "0000", country, job)
        if demo:
            educations = [
                EducationSpec(B, "机械设计制造及其自动化", "山东科技大学", dt.date(2010, 6, 28)),
                EducationSpec(S, "机械电子工程", "哈尔滨工业大学", dt.date(2013, 6, 26)),
                EducationSpec(D, "机械工程", "浙江大学", dt.date(2017, 6, 23)),
            ]
        finished = [e.graduated_on for e in educations if e.graduated_on]
        last_graduation = max(finished) if finished else birth.replace(year=birth.year + 22)
        title = job.title
        years = years_between(last_graduation, REFERENCE_DATE)
        if not demo and age >= 45 and DEGREE_RANK[degree] >= 2 and rng.random() < 0.15:
            title = rng.choice(SENIOR_TITLES)
        elif (
            not demo
            and age >= 36
            and job.category in ("rnd", "engineering", "it", "medical")
            and rng.random() < 0.35
        ):
            title = "高级" + title if not title.startswith("首席") else title
        professional = self._professional_title(degree, years, job.category)
        skill, occupation = self._skill(degree, years, job)
        programme, programme_name = self._programme(degree, skill)
        tier, tier_until = self._tier(degree, programme, skill)
        if demo:
            title, professional = "研发中心副主任", ProfessionalTitle.VICE_SENIOR
            programme, programme_name = ProgrammeLevel.PROVINCIAL, zone.provincial_programmes[0]
            tier, tier_until = TIER.B, dt.date(2029, 6, 30)

        entry = dt.date(2024, 3, 18) if demo else self._entry_date(last_graduation)
        in_zone_years = years_between(entry, REFERENCE_DATE)
        housing = HOUSING.RENTED if demo else self._housing(age, tier)
        hukou_in_zone = (not demo) and rng.random() < min(
            0.85, 0.08 + 0.06 * in_zone_years + (0.15 if housing == HOUSING.OWNED else 0)
        )
        status = STATUS.LEFT if rng.random() < 0.02 else STATUS.ACTIVE
        # The first few settled talents (two years or more between graduation and entry, in
        # the zone since 2021 at the latest) also get a record in the second zone.
        mover = (
            self.main
            and not demo
            and len(self.movers) < len(MOVER_STATUSES)
            and entry.year <= 2021
            and (entry - last_graduation).days >= 730
        )
        if mover:
            status = MOVER_STATUSES[len(self.movers)]
            hukou_in_zone = hukou_in_zone and status == STATUS.ACTIVE

        login = None
        if demo or self._logins < self.counts.talent_logins:
            username = f"{zone.prefix}_talent_demo" if demo else f"{zone.prefix}_talent{self._logins + 1:04d}"
            if not demo:
                self._logins += 1
            login = AccountSpec(self.numbering.take("user"), username, Role.TALENT, name, zone.code)
        person = PersonSpec(
            no=person_no,
            name=name,
            name_pinyin=pinyin,
            id_number=id_number,
            phone=phone,
            sex=sex,
            birth_date=birth,
            hukou_division=zone.hukou_division
            if hukou_in_zone
            else self.book.current_division(birth_division),
            hukou_in_zone=hukou_in_zone,
            is_returnee=bool(country),
            returnee_country=country,
            highest_degree=degree,
            email=f"{pinyin.split()[0]}{birth.year % 100:02d}{rng.randrange(10, 100)}@{vocab.EMAIL_DOMAIN}"
            if rng.random() < (0.1 if degree == Z else 0.35)
            else "",
            login=login,
        )
        person.bank_name, person.bank_account = self._bank_account(person_no, demo)
        specialist_no, dept = self._specialist(employer, index)
        talent = TalentSpec(
            no=self.numbering.take("talent"),
            zone_code=zone.code,
            person_no=person_no,
            employer_no=employer.no if employer else None,
            specialist_no=specialist_no,
            dept_key=dept,
            position_title=title if employer else "",
            zone_entry_date=entry,
            professional_title=professional,
            title_discipline=educations[-1].major[:40] if professional != ProfessionalTitle.NONE else "",
            skill_level=skill,
            skill_occupation=occupation,
            programme_level=programme,
            programme_name=programme_name,
            tier=tier,
            tier_valid_until=tier_until,
            housing=housing,
            status=status,
        )
        if employer and (
            postgrad or professional in (ProfessionalTitle.SENIOR, ProfessionalTitle.VICE_SENIOR)
        ):
            leaders = self.seniors.setdefault(employer.no, [])
            if len(leaders) < 4:
                leaders.append((talent.no, name))
        bundle = TalentBundle(
            talent=talent,
            person=person,
            educations=educations,
            family=self._family(sex, surname, birth, demo),
            last_graduation=last_graduation,
            chain_family=family,
        )
        if mover:
            self.movers.append(bundle)
        return bundle

    def _incoming(self, elsewhere: TalentBundle) -> TalentBundle:
        """This zone's record of a person who has (or had) a talent record in the main zone."""
        rng, other = self.rng, elsewhere.talent
        active_here = other.status == STATUS.LEFT
        graduated = elsewhere.last_graduation or other.zone_entry_date
        if active_here:
            entry = other.zone_entry_date + dt.timedelta(days=rng.randint(200, 1500))
            entry = min(entry, REFERENCE_DATE - dt.timedelta(days=10))
        else:
            entry = other.zone_entry_date - dt.timedelta(days=rng.randint(400, 2500))
            entry = max(entry, graduated + dt.timedelta(days=30), EARLIEST_ENTRY)
        wanted = {elsewhere.chain_family, NEAREST_FAMILY.get(elsewhere.chain_family, "")}
        same_family = [e for e in self.enterprises if e.family in wanted] or self.enterprises
        employer = rng.choice(same_family)
        specialist_no, dept = self._specialist(employer, 0)
        # Zones are sealed: this zone keeps its own record of her (same ID number, no login,
        # no bank account on file), never the main zone's.
        assert elsewhere.person is not None
        person = dataclasses.replace(
            elsewhere.person, no=self.numbering.take("person"), login=None, bank_name="", bank_account=""
        )
        talent = TalentSpec(
            no=self.numbering.take("talent"),
            zone_code=self.zone.code,
            person_no=person.no,
            employer_no=employer.no,
            specialist_no=specialist_no,
            dept_key=dept,
            position_title=other.position_title,
            zone_entry_date=entry,
            professional_title=other.professional_title,
            title_discipline=other.title_discipline,
            skill_level=other.skill_level,
            skill_occupation=other.skill_occupation,
            programme_level=other.programme_level,
            programme_name=other.programme_name,
            tier="",
            tier_valid_until=None,
            housing=HOUSING.RENTED,
            status=STATUS.ACTIVE if active_here else STATUS.LEFT,
        )
        return TalentBundle(
            talent=talent,
            person=person,
            educations=list(elsewhere.educations),
            chain_family=elsewhere.chain_family,
        )

    # parts -----------------------------------------------------------------------------

    def _specialist(self, employer: EnterpriseSpec | None, index: int) -> tuple[int, str]:
        if employer:
            return employer.specialist_no, employer.dept_key
        s = self.specialists[index % len(self.specialists)]
        return s.no, s.dept_key or ""

    def _bank_account(self, person_no: int, demo: bool) -> tuple[str, str]:
        """(bank branch, card number) of the person's salary card, or ("", "") for none on file."""
        rng = self.bank_rng
        if not demo and rng.random() >= BANK_ACCOUNT_RATE:
            return "", ""
        bank = BANKS[0] if demo else self._bank(rng)
        return bank.name.format(city=self._city), self.identities.bank_card(rng, bank, person_no)

    def _birth_division(self, year: int, postgrad: bool) -> str:
        rng, zone = self.rng, self.zone
        r = rng.random()
        if r < (0.35 if postgrad else 0.55):
            choice = self._birthplaces.get(year)
            if choice is None:
                places = [b for b in zone.home_birthplaces if b.since <= year <= b.until]
                choice = self._birthplaces[year] = WeightedChoice(
                    [b.code for b in places], [b.weight for b in places]
                )
            return choice(rng)
        if r < (0.65 if postgrad else 0.82):
            return rng.choice(self._home_prefectures)
        return rng.choice(self.book.prefectures_by_province[self._other_provinces(rng)])

    def _educations(
        self, degree: str, birth: dt.date, family: str, birth_province: str, country: str, job: vocab.Job
    ) -> list[EducationSpec]:
        rng = self.rng
        steps: list[tuple[str, int]] = []  # (degree, graduation year)
        if degree == Z:
            steps.append((Z, birth.year + rng.choice((20, 21, 21, 22))))
        else:
            if degree == B and rng.random() < 0.12:  # 专升本
                steps.append((Z, birth.year + 21))
                steps.append((B, birth.year + 23))
            else:
                steps.append((B, birth.year + rng.choice((22, 22, 22, 23))))
            if DEGREE_RANK[degree] >= 3:
                steps.append((S, steps[-1][1] + rng.choice((3, 3, 2))))
            if DEGREE_RANK[degree] >= 4:
                steps.append((D, steps[-1][1] + rng.choice((3, 4, 4, 5))))
            if degree == PD:
                steps.append((PD, steps[-1][1] + rng.choice((2, 3))))
        last_finished = steps[-1][1] if degree != PD else steps[-2][1]
        overflow = max(0, last_finished - REFERENCE_DATE.year)
        abroad = ""
        if country:
            abroad = {B: B, S: S, D: rng.choice((S, D)), PD: rng.choice((D, PD))}.get(degree, "")
        majors_high = self.book.majors_for(family, B)
        majors_low = self.book.majors_for(family, Z)
        major = self.book.major_for_job(rng, job.majors, family, degree)
        out = []
        for step_degree, year in steps:
            year -= overflow
            graduated: dt.date | None = dt.date(year, 6, 30) - dt.timedelta(days=rng.randrange(20))
            if graduated and graduated > REFERENCE_DATE:
                graduated = None  # still at the postdoc station
            if step_degree == degree:
                this_major = major
            elif step_degree == Z:
                this_major = rng.choice(majors_low)
            else:
                this_major = major if rng.random() < 0.7 else rng.choice(majors_high)
            if step_degree == abroad:
                university = rng.choice(vocab.FOREIGN_UNIVERSITIES[country])
            else:
                university = self.universities[family].pick(rng, step_degree, birth_province)
            out.append(EducationSpec(step_degree, this_major, university, graduated))
        return out

    def _job(self, family: str, degree: str) -> vocab.Job:
        key = (family, degree)
        choice = self._jobs.get(key)
        if choice is None:
            rank = DEGREE_RANK[degree]
            weights_by_category = CATEGORY_WEIGHTS[degree if rank <= 2 else S]
            factors = vocab.FAMILY_CATEGORY_FACTOR.get(family, {})
            own = [(j, 1.0) for j in vocab.CHAIN_JOBS[family]]
            common = [(j, vocab.COMMON_JOB_WEIGHT) for j in vocab.COMMON_JOBS]
            eligible = [(j, w) for j, w in own + common if DEGREE_RANK[j.min_degree] <= rank]
            jobs = [j for j, _ in eligible]
            weights = [
                w
                * weights_by_category.get(j.category, 0.5)
                * factors.get(j.category, 1.0)
                * (2.5 if DEGREE_RANK[j.min_degree] == min(rank, 4) else 1)
                for j, w in eligible
            ]
            choice = self._jobs[key] = WeightedChoice(jobs, weights)
        return choice(self.rng)

    def _professional_title(self, degree: str, years: float, category: str) -> str:
        rng, T = self.rng, ProfessionalTitle
        if category == "production" and rng.random() < 0.8:
            return T.NONE
        rank = DEGREE_RANK[degree]
        if rank == 1:
            table = [(3, (T.NONE,), (1,)), (8, (T.NONE, T.JUNIOR), (6, 4)), (15, (T.NONE, T.JUNIOR, T.MIDDLE), (40, 35, 25)), (99, (T.NONE, T.JUNIOR, T.MIDDLE, T.VICE_SENIOR), (30, 30, 36, 4))]  # fmt: skip
        elif rank == 2:
            table = [(1, (T.NONE, T.JUNIOR), (7, 3)), (5, (T.NONE, T.JUNIOR, T.MIDDLE), (3, 6, 1)), (12, (T.NONE, T.JUNIOR, T.MIDDLE, T.VICE_SENIOR), (15, 35, 45, 5)), (99, (T.JUNIOR, T.MIDDLE, T.VICE_SENIOR, T.SENIOR), (15, 60, 22, 3))]  # fmt: skip
        elif rank == 3:
            table = [(2, (T.NONE, T.JUNIOR, T.MIDDLE), (3, 6, 1)), (7, (T.JUNIOR, T.MIDDLE, T.VICE_SENIOR), (25, 65, 10)), (12, (T.MIDDLE, T.VICE_SENIOR, T.SENIOR), (55, 40, 5)), (99, (T.MIDDLE, T.VICE_SENIOR, T.SENIOR), (25, 60, 15))]  # fmt: skip
        else:
            table = [(2, (T.NONE, T.MIDDLE, T.VICE_SENIOR), (2, 7, 1)), (6, (T.MIDDLE, T.VICE_SENIOR, T.SENIOR), (4, 5, 1)), (99, (T.MIDDLE, T.VICE_SENIOR, T.SENIOR), (1, 5, 4))]  # fmt: skip
        for limit, titles, weights in table:
            if years < limit:
                return rng.choices(titles, weights)[0]
        return T.NONE

    def _skill(self, degree: str, years: float, job: vocab.Job) -> tuple[str, str]:
        rng, L = self.rng, SkillLevel
        if not job.occupation:
            return L.NONE, ""
        chance = {Z: 0.85, B: 0.35}.get(degree, 0.05)
        if rng.random() >= chance:
            return L.NONE, ""
        if years < 2:
            levels, weights = (L.L5, L.L4), (6, 4)
        elif years < 5:
            levels, weights = (L.L5, L.L4, L.L3), (3, 5, 2)
        elif years < 10:
            levels, weights = (L.L4, L.L3, L.L2), (4, 5, 1)
        elif years < 20:
            levels, weights = (L.L4, L.L3, L.L2, L.L1), (2, 5, 2.5, 0.5)
        else:
            levels, weights = (L.L3, L.L2, L.L1), (4, 4, 2)
        return rng.choices(levels, weights)[0], job.occupation

    def _programme(self, degree: str, skill: str) -> tuple[str, str]:
        rng, P, zone = self.rng, ProgrammeLevel, self.zone
        national = {PD: 0.4, D: 0.15, S: 0.015}.get(degree, 0.0) + (0.004 if skill == SkillLevel.L1 else 0)
        provincial = {PD: 0.25, D: 0.3, S: 0.08, B: 0.002, Z: 0.001}[degree] + (
            0.05 if skill == SkillLevel.L1 else 0
        )
        municipal = {S: 0.15, B: 0.006, Z: 0.003}.get(degree, 0.1) + (
            0.02 if skill in (SkillLevel.L1, SkillLevel.L2) else 0
        )
        district = 0.005
        r = rng.random()
        if r < national:
            return P.NATIONAL, rng.choice(vocab.NATIONAL_PROGRAMMES)
        r -= national
        if r < provincial:
            return P.PROVINCIAL, rng.choice(zone.provincial_programmes)
        r -= provincial
        if r < municipal:
            return P.MUNICIPAL, rng.choice(zone.municipal_programmes)
        r -= municipal
        if r < district:
            return P.ZONE, zone.zone_programme
        return P.NONE, ""

    def _tier(self, degree: str, programme: str, skill: str) -> tuple[str, dt.date | None]:
        rng, P = self.rng, ProgrammeLevel
        r = rng.random()
        tier = ""
        if programme == P.NATIONAL:
            tier = TIER.A if r < 0.15 else TIER.B
        elif programme == P.PROVINCIAL:
            tier = TIER.B if r < 0.3 else TIER.C
        elif programme == P.MUNICIPAL and r < 0.4:
            tier = TIER.C if r < 0.15 else TIER.D
        elif degree == PD and r < 0.8:
            tier = TIER.C
        elif degree == D and r < 0.7:
            tier = TIER.D
        elif degree == S and r < 0.12:
            tier = TIER.E if r < 0.1 else TIER.D
        elif degree == B and r < 0.002:
            tier = TIER.E
        elif skill in (SkillLevel.L1, SkillLevel.L2) and r < 0.03:
            tier = TIER.D if skill == SkillLevel.L1 else TIER.E
        if not tier:
            return "", None
        certified = dt.date(2022, 1, 1) + dt.timedelta(
            days=rng.randrange((REFERENCE_DATE - dt.date(2022, 1, 1)).days)
        )
        years = 5 if tier in (TIER.A, TIER.B) else 3
        return tier, certified.replace(year=certified.year + years, day=min(certified.day, 28))

    def _entry_date(self, graduated: dt.date) -> dt.date:
        rng = self.rng
        first = max(EARLIEST_ENTRY.year, graduated.year)
        years = list(range(first, REFERENCE_DATE.year + 1))
        year = rng.choices(years, [y - 2002 for y in years])[0]
        day = date_in_year(rng, year)
        return min(
            max(day, graduated + dt.timedelta(days=rng.randint(1, 60))), REFERENCE_DATE - dt.timedelta(days=1)
        )

    def _housing(self, age: float, tier: str) -> str:
        H = HOUSING
        if age < 26:
            options = ((H.DORMITORY, 35), (H.RENTED, 35), (H.APARTMENT, 20), (H.OWNED, 5), (H.NONE, 5))
        elif age < 33:
            options = ((H.DORMITORY, 12), (H.RENTED, 35), (H.APARTMENT, 18), (H.OWNED, 33), (H.NONE, 2))
        elif age < 41:
            options = ((H.RENTED, 20), (H.APARTMENT, 8), (H.OWNED, 68), (H.DORMITORY, 4))
        else:
            options = ((H.OWNED, 85), (H.RENTED, 10), (H.APARTMENT, 3), (H.DORMITORY, 2))
        if tier in (TIER.A, TIER.B, TIER.C) and self.rng.random() < 0.3:
            return H.APARTMENT
        return _weighted(self.rng, options)

    def _family(self, sex: str, surname: str, birth: dt.date, demo: bool) -> list[FamilySpec]:
        rng, names = self.rng, self.names
        age = years_between(birth, REFERENCE_DATE)
        married = demo or rng.random() < (
            0.06 if age < 25 else 0.3 if age < 30 else 0.62 if age < 35 else 0.84
        )
        if not married:
            return []
        spouse_sex = Sex.MALE if sex == Sex.FEMALE else Sex.FEMALE
        offset = rng.gauss(2 if sex == Sex.FEMALE else -2, 2.5)
        spouse_birth = birth - dt.timedelta(days=int(offset * 365.25))
        spouse_birth = min(spouse_birth, REFERENCE_DATE - dt.timedelta(days=int(21 * 365.25)))
        spouse_age = years_between(spouse_birth, REFERENCE_DATE)
        spouse_surname = names.surname(rng)
        spouse_name = spouse_surname + names.given(rng, spouse_sex, spouse_birth.year)
        E = FamilyMember.Employment
        if demo:
            employment = E.SEEKING
        elif spouse_age >= 58:
            employment = E.RETIRED if rng.random() < 0.7 else E.EMPLOYED
        else:
            employment = E.EMPLOYED if rng.random() < 0.78 else E.SEEKING
        out = [FamilySpec(FamilyMember.Relation.SPOUSE, spouse_name, spouse_sex, spouse_birth, employment)]
        father_surname = surname if sex == Sex.MALE else spouse_surname
        mother_birth = birth if sex == Sex.FEMALE else spouse_birth
        if demo:
            ages_at_birth = [
                years_between(mother_birth, REFERENCE_DATE) - 8.6,
                years_between(mother_birth, REFERENCE_DATE) - 3.2,
            ]
        else:
            kids = rng.choices((0, 1, 2), (18, 52, 30))[0] if age >= 25 else 0
            ages_at_birth = sorted(rng.uniform(24, 38) for _ in range(kids))
        for at in ages_at_birth:
            child_birth = mother_birth + dt.timedelta(days=int(at * 365.25))
            if child_birth >= REFERENCE_DATE - dt.timedelta(days=30):
                continue
            child_sex = rng.choice((Sex.MALE, Sex.FEMALE))
            child_age = years_between(child_birth, REFERENCE_DATE)
            given = names.given(rng, child_sex, child_birth.year)
            employment = ""
            if child_age >= 22:
                employment = E.EMPLOYED if rng.random() < 0.8 else E.SEEKING
            out.append(
                FamilySpec(
                    FamilyMember.Relation.CHILD, father_surname + given, child_sex, child_birth, employment
                )
            )
        return out


def _weighted(rng: random.Random, options) -> str:  # type: ignore[no-untyped-def]
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]
