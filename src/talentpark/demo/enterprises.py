"""Enterprises of a zone with their chain roles, and the zone's platforms and projects."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from talentpark.accounts.roles import Role
from talentpark.demo import vocab
from talentpark.demo.identity import PHONE_RANGE_ENTERPRISES, IdentityPool, NameMaker, WeightedChoice, uscc
from talentpark.demo.specs import AccountSpec, EnterpriseSpec, Numbering, PlatformSpec, ProjectSpec
from talentpark.demo.zones import ChainProfile, ZoneProfile
from talentpark.registry.models import ChainRole, Enterprise, Platform, Project

REFERENCE_DATE = dt.date(2026, 11, 1)
ROLE_LABEL: dict[str, Any] = {
    ChainRole.CHAIN_MASTER: "链主企业",
    ChainRole.LEADING: "龙头企业",
    ChainRole.SUPPORTING: "配套企业",
}
ROLE_RANK: dict[str, Any] = {ChainRole.CHAIN_MASTER: 0, ChainRole.LEADING: 1, ChainRole.SUPPORTING: 2}
PK_, PL_ = Platform.Kind, Platform.Level
PLATFORM_LEVELS: dict[str, tuple[tuple[str, float], ...]] = {
    PK_.KEY_LAB: ((PL_.NATIONAL, 0.05), (PL_.PROVINCIAL, 0.55), (PL_.MUNICIPAL, 0.4)),
    PK_.ENGINEERING_CENTRE: ((PL_.PROVINCIAL, 0.5), (PL_.MUNICIPAL, 0.5)),
    PK_.ENTERPRISE_TECH_CENTRE: ((PL_.NATIONAL, 0.1), (PL_.PROVINCIAL, 0.5), (PL_.MUNICIPAL, 0.4)),
    PK_.INCUBATOR: ((PL_.NATIONAL, 0.2), (PL_.PROVINCIAL, 0.4), (PL_.MUNICIPAL, 0.4)),
    PK_.MAKER_SPACE: ((PL_.NATIONAL, 0.1), (PL_.PROVINCIAL, 0.4), (PL_.MUNICIPAL, 0.5)),
    PK_.POSTDOC_STATION: ((PL_.NATIONAL, 1),),
    PK_.POSTDOC_BASE: ((PL_.PROVINCIAL, 1),),
    PK_.ACADEMICIAN: ((PL_.PROVINCIAL, 1),),
    PK_.RESEARCH_INSTITUTE: ((PL_.PROVINCIAL, 0.4), (PL_.MUNICIPAL, 0.4), (PL_.ZONE, 0.2)),
    PK_.SKILL_MASTER: ((PL_.NATIONAL, 0.1), (PL_.PROVINCIAL, 0.4), (PL_.MUNICIPAL, 0.5)),
    PK_.EXPERT_BASE: ((PL_.NATIONAL, 0.3), (PL_.PROVINCIAL, 0.7)),
}
# Share of each kind hosted by an enterprise (the rest by a zone body: 依托单位（非企业）).
ENTERPRISE_HOSTED: dict[str, Any] = {
    PK_.KEY_LAB: 0.75,
    PK_.ENGINEERING_CENTRE: 0.75,
    PK_.INCUBATOR: 0.3,
    PK_.MAKER_SPACE: 0.5,
    PK_.RESEARCH_INSTITUTE: 0.5,
    PK_.EXPERT_BASE: 0.5,
}
# Stations approved within the year before the reference date, so the platform-reward policy
# (近一年新认定省级以上院士工作站、博士后工作站) finds someone: the share of each kind, taken from
# the smallest hosts of that kind.
RECENT_STATIONS: dict[str, float] = {PK_.ACADEMICIAN: 0.67, PK_.POSTDOC_STATION: 0.34, PK_.POSTDOC_BASE: 0.5}
RECENT_WINDOW = (dt.date(2026, 1, 10), REFERENCE_DATE - dt.timedelta(days=21))
# 揭榜挂帅 challenges posted by key enterprises since the policy took effect (2025-07-01).
CHALLENGES_PER_PROJECT = 1 / 25
CHALLENGE_WINDOW = (dt.date(2025, 7, 15), REFERENCE_DATE - dt.timedelta(days=45))
CHALLENGE_NAMES = ("关键核心技术“揭榜挂帅”攻关项目", "“卡脖子”技术揭榜攻关项目", "揭榜挂帅技术攻关项目")
QUALIFIERS = ("智能化", "关键零部件", "绿色制造", "可靠性", "检测与评价", "先进工艺", "数字化", "共性技术")


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def split_counts(total: int, weights: list[float], minimum: int = 1) -> list[int]:
    """``total`` split by ``weights`` (largest remainder), each share at least ``minimum``."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [max(minimum, int(r)) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    i = 0
    while sum(counts) < total:
        counts[order[i % len(order)]] += 1
        i += 1
    return counts


def _leading_count(n: int) -> int:
    return max(1, min(10, round(n * 0.06))) if n < 400 else round(n * 0.03)


class EnterprisePlanner:
    """Plans a zone's enterprises (chain masters first) and everything that hangs on them."""

    def __init__(
        self,
        zone: ZoneProfile,
        *,
        seed: int,
        count: int,
        hr_accounts: int,
        numbering: Numbering,
        identities: IdentityPool,
        specialists: list[AccountSpec],
    ) -> None:
        self.zone = zone
        self.rng = random.Random(f"{seed}:{zone.code}:enterprises")
        self.numbering = numbering
        self.identities = identities
        self.names = NameMaker(zone.surname_boost)
        self.specialists = specialists
        self._used_names: set[str] = set()
        self._used_shorts: set[str] = set()
        self._used_uscc: set[str] = set()
        self._division = WeightedChoice(
            [c for c, _ in zone.registration_divisions], [w for _, w in zone.registration_divisions]
        )
        self.enterprises = self._plan(count, hr_accounts)
        self.by_no = {e.no: e for e in self.enterprises}
        self.chains = {c.code: c for c in zone.chains}

    # enterprises ---------------------------------------------------------------------

    def _plan(self, count: int, hr_accounts: int) -> list[EnterpriseSpec]:
        chains = self.zone.chains
        per_chain = split_counts(count, [c.weight for c in chains], minimum=3)
        queues: list[list[tuple[ChainProfile, str, int]]] = [[] for _ in range(3)]
        for chain, n in zip(chains, per_chain, strict=True):
            leading = min(_leading_count(n), n - 1)
            queues[0].append((chain, ChainRole.CHAIN_MASTER, 0))
            queues[1] += [(chain, ChainRole.LEADING, i + 1) for i in range(leading)]
            queues[2] += [(chain, ChainRole.SUPPORTING, 0) for _ in range(n - 1 - leading)]
        ordered = queues[0] + _interleave(queues[1], chains) + _interleave(queues[2], chains)
        out = []
        for index, (chain, role, flagship_index) in enumerate(ordered):
            specialist = self.specialists[index % len(self.specialists)]
            spec = self._enterprise(chain, role, flagship_index, specialist)
            if index < hr_accounts:
                spec.hr_account = AccountSpec(
                    self.numbering.take("user"),
                    f"{self.zone.prefix}_hr{index + 1:04d}",
                    Role.HR,
                    spec.contact_name,
                    self.zone.code,
                )
            out.append(spec)
        return out

    def _name(self, chain: ChainProfile, segment: int, trade: int) -> tuple[str, str]:
        rng, zone = self.rng, self.zone
        t = chain.segments[segment].trades[trade]
        for attempt in range(200):
            brand = rng.choice(vocab.BRAND_CHARS) + rng.choice(vocab.BRAND_CHARS)
            if attempt > 100:
                brand += rng.choice(vocab.BRAND_CHARS)
            if len(set(brand)) < len(brand):
                continue
            suffix = rng.choices(("有限公司", "股份有限公司", "集团有限公司"), (85, 12, 3))[0]
            style = rng.random()
            if style < 0.1:
                name = f"{brand}{t.word}（{zone.region_words[1]}）有限公司"
            elif style < 0.2:
                name = f"{brand}{t.word}{suffix}"
            else:
                name = f"{rng.choice(zone.region_words)}{brand}{t.word}{suffix}"
            short = f"{brand}{t.short}"
            if name not in self._used_names and short not in self._used_shorts:
                self._used_names.add(name)
                self._used_shorts.add(short)
                return name, short
        raise RuntimeError("enterprise names exhausted")

    def _enterprise(
        self, chain: ChainProfile, role: str, flagship_index: int, specialist: AccountSpec
    ) -> EnterpriseSpec:
        rng = self.rng
        flagship = chain.flagships[flagship_index] if flagship_index < len(chain.flagships) else None
        if flagship and flagship.name not in self._used_names:
            segment, trade = flagship.segment, flagship.trade
            name, short = flagship.name, flagship.short
            self._used_names.add(name)
            self._used_shorts.add(short)
        else:
            segment = rng.choices(range(len(chain.segments)), [s.weight for s in chain.segments])[0]
            trade = rng.randrange(len(chain.segments[segment].trades))
            name, short = self._name(chain, segment, trade)
        if role == ChainRole.CHAIN_MASTER:
            employees, founded_years, capital = (
                rng.randint(2500, 9000),
                (1993, 2008),
                rng.uniform(30000, 200000),
            )
        elif role == ChainRole.LEADING:
            employees, founded_years, capital = rng.randint(400, 2500), (1998, 2016), rng.uniform(3000, 30000)
        else:
            employees = max(8, min(1200, int(rng.lognormvariate(4.6, 0.8))))
            founded_years = (2003, 2025)
            capital = min(20000.0, rng.lognormvariate(6.5, 1.1))
        founded = random_date(rng, dt.date(founded_years[0], 1, 1), dt.date(founded_years[1], 12, 31))
        founded = min(founded, REFERENCE_DATE - dt.timedelta(days=120))
        if employees >= 1000:
            scale = Enterprise.Scale.LARGE
        elif employees >= 300:
            scale = Enterprise.Scale.MEDIUM
        elif employees >= 20:
            scale = Enterprise.Scale.SMALL
        else:
            scale = Enterprise.Scale.MICRO
        division = self._division(rng)
        code = uscc(rng, division, founded.year)
        while code in self._used_uscc:
            code = uscc(rng, division, founded.year)
        self._used_uscc.add(code)
        no = self.numbering.take("enterprise")
        contact_sex = rng.choice("MF")
        contact_name = self.names.full(rng, contact_sex, rng.randint(1975, 1998))[0]
        seg = chain.segments[segment]
        description = (
            f"{short}成立于{founded.year}年，主要从事{seg.name}相关产品的研发、生产和销售，"
            f"现有职工{employees}人，是{self.zone.short_name}{chain.name}产业链{ROLE_LABEL[role]}。"
        )
        return EnterpriseSpec(
            no=no,
            zone_code=self.zone.code,
            name=name,
            short_name=short,
            uscc=code,
            division=division,
            industry=seg.trades[trade].industry,
            scale=scale,
            founded_on=founded,
            registered_capital=Decimal(round(capital, 0)).quantize(Decimal("0.01")),
            employee_count=employees,
            is_key=scale != Enterprise.Scale.MICRO,
            is_high_tech=rng.random() < (0.9 if role != ChainRole.SUPPORTING else 0.45),
            address=f"{self.zone.short_name}{rng.choice(self.zone.roads)}{rng.randint(1, 299)}号",
            contact_name=contact_name,
            contact_phone=self.identities.mobile(rng, PHONE_RANGE_ENTERPRISES + no),
            description=description,
            chain_code=chain.code,
            segment_index=segment,
            family=chain.family,
            role=role,
            specialist_no=specialist.no,
            dept_key=specialist.dept_key or "",
        )

    def ranked(self) -> list[EnterpriseSpec]:
        """Masters, then leading, then the rest by size: who hosts platforms and big projects."""
        return sorted(self.enterprises, key=lambda e: (ROLE_RANK[e.role], -e.employee_count, e.no))

    # platforms -------------------------------------------------------------------------

    def platforms(self, counts: dict[str, int], seed: int) -> list[PlatformSpec]:
        """Platforms of every kind in ``counts``, hosted by the zone's biggest enterprises or its bodies."""
        rng = random.Random(f"{seed}:{self.zone.code}:platforms")
        used: set[str] = set()
        ranked = self.ranked()
        out: list[PlatformSpec] = []
        for kind, count in counts.items():
            # Stations and workstations go to the biggest enterprises; other kinds spread wider.
            if kind in (PK_.POSTDOC_STATION, PK_.ACADEMICIAN, PK_.POSTDOC_BASE):
                pool = ranked[: max(count * 3, 12)]
                hosts = (
                    ranked[:count] if kind == PK_.POSTDOC_STATION else rng.sample(pool, min(count, len(pool)))
                )
            else:
                hosts = rng.sample(ranked, min(count, len(ranked)))
            for i in range(count):
                host = hosts[i % len(hosts)]
                chain = self.chains[host.chain_code]
                levels = PLATFORM_LEVELS[kind]
                level = rng.choices([lv for lv, _ in levels], [w for _, w in levels])[0]
                hosted = rng.random() < ENTERPRISE_HOSTED.get(kind, 1.0)
                name = ""
                for attempt in range(60):
                    name = self._platform_name(rng, kind, level, attempt, host, chain, hosted)
                    if name not in used:
                        break
                n = 2
                base = name
                while name in used:
                    name, n = f"{base}（{n}）", n + 1
                used.add(name)
                topic = rng.choice(vocab.TOPICS[chain.family])
                out.append(
                    PlatformSpec(
                        zone_code=self.zone.code,
                        name=name,
                        kind=kind,
                        level=level,
                        enterprise_no=host.no if hosted else None,
                        host_organisation="" if hosted else rng.choice(self.zone.hosts),
                        chain_code=chain.code,
                        approved_on=random_date(
                            rng, dt.date(2010, 1, 1), REFERENCE_DATE - dt.timedelta(days=60)
                        ),
                        approved_by=self._approver(kind, level),
                        description=f"聚焦{chain.name}产业链{topic}方向，开展技术研发、成果转化和人才培养。",
                    )
                )
        self._recent_stations(out, seed)
        return out

    def _recent_stations(self, platforms: list[PlatformSpec], seed: int) -> None:
        """Move some stations' approval into the last year (own random stream: nothing else changes)."""
        rng = random.Random(f"{seed}:{self.zone.code}:recent-stations")
        for kind, share in RECENT_STATIONS.items():
            hosted = [p for p in platforms if p.kind == kind and p.enterprise_no is not None]
            for p in hosted[len(hosted) - max(1, round(len(hosted) * share)) :] if hosted else ():
                p.approved_on = random_date(rng, *RECENT_WINDOW)

    def _platform_name(
        self,
        rng: random.Random,
        kind: str,
        level: str,
        attempt: int,
        host: EnterpriseSpec,
        chain: ChainProfile,
        hosted: bool,
    ) -> str:
        """A candidate name; later attempts add more distinguishing words."""
        zone = self.zone
        # A topic that does not repeat the host's line of business ("XX大数据大数据研究院").
        topics = [t for t in vocab.TOPICS[chain.family] if not _shares_word(t, host.short_name)]
        topic = rng.choice(topics or vocab.TOPICS[chain.family])
        if kind in (PK_.KEY_LAB, PK_.ENGINEERING_CENTRE):
            suffix = "重点实验室" if kind == PK_.KEY_LAB else "工程技术研究中心"
            place = {PL_.NATIONAL: "国家", PL_.PROVINCIAL: zone.province_name}.get(level, zone.city_name)
            if attempt < 40:
                return f"{place}{topic}{rng.choice(QUALIFIERS)}{suffix}"
            return f"{place}{host.short_name}{topic}{suffix}"
        if kind == PK_.ENTERPRISE_TECH_CENTRE:
            return f"{host.name}技术中心" if attempt == 0 else f"{host.name}{topic}技术中心"
        if kind == PK_.INCUBATOR:
            if not hosted and attempt < 5:
                return f"{zone.short_name}{rng.choice((*zone.incubator_words, topic))}科技企业孵化器"
            return f"{host.short_name}{topic}科技企业孵化器"
        if kind == PK_.MAKER_SPACE:
            if not hosted and attempt < 5:
                return f"{rng.choice(zone.incubator_words)}众创空间"
            return f"{host.short_name}{rng.choice((*zone.incubator_words, topic))}众创空间"
        if kind == PK_.POSTDOC_STATION:
            return f"{host.name}博士后科研工作站"
        if kind == PK_.POSTDOC_BASE:
            return f"{host.name}博士后创新实践基地"
        if kind == PK_.ACADEMICIAN:
            return f"{host.name}院士工作站"
        if kind == PK_.RESEARCH_INSTITUTE:
            if not hosted and attempt < 5:
                return f"{zone.short_name}{topic}产业研究院"
            if attempt < 20:
                return f"{host.short_name}{topic}研究院"
            return f"{zone.city_name}{host.short_name}{topic}技术研究院"
        if kind == PK_.SKILL_MASTER:
            master = self.names.full(rng, "M" if rng.random() < 0.85 else "F", rng.randint(1966, 1988))[0]
            return f"{master}技能大师工作室"
        return (
            f"{zone.short_name}{topic}专家服务基地"
            if attempt < 10
            else f"{host.short_name}{topic}专家服务基地"
        )

    def _approver(self, kind: str, level: str) -> str:
        prov, city = self.zone.province_name, self.zone.city_name
        if kind == PK_.POSTDOC_STATION:
            return "人力资源和社会保障部、全国博士后管理委员会"
        if kind in (PK_.POSTDOC_BASE, PK_.SKILL_MASTER, PK_.EXPERT_BASE):
            return {PL_.NATIONAL: "人力资源和社会保障部", PL_.PROVINCIAL: f"{prov}人力资源和社会保障厅"}.get(
                level, f"{city}人力资源和社会保障局"
            )
        if kind == PK_.ACADEMICIAN:
            return f"{prov}科学技术协会"
        if level == PL_.ZONE:
            return self.zone.committee
        if kind == PK_.ENTERPRISE_TECH_CENTRE:
            return {PL_.NATIONAL: "国家发展和改革委员会", PL_.PROVINCIAL: f"{prov}工业和信息化厅"}.get(
                level, f"{city}工业和信息化局"
            )
        return {PL_.NATIONAL: "科学技术部", PL_.PROVINCIAL: f"{prov}科学技术厅"}.get(
            level, f"{city}科学技术局"
        )

    # projects --------------------------------------------------------------------------

    def projects(self, count: int, seed: int, seniors: dict[int, list[tuple[int, str]]]) -> list[ProjectSpec]:
        """Projects led, where possible, by a senior talent of the enterprise (``seniors``: no → talents)."""
        rng = random.Random(f"{seed}:{self.zone.code}:projects")
        weights = [
            {ChainRole.CHAIN_MASTER: 30, ChainRole.LEADING: 10}.get(e.role, 1) for e in self.enterprises
        ]
        pick = WeightedChoice(self.enterprises, weights)
        PK, PS = Project.Kind, Project.Status
        statuses = {
            PK.SCIENCE_RESERVE: ((PS.RESERVE, 6), (PS.APPROVED, 3), (PS.CLOSED, 1)),
            PK.TALENT_PROJECT: ((PS.APPROVED, 4), (PS.BUILDING, 3), (PS.CLOSED, 2)),
            PK.INDUSTRIALISATION: ((PS.APPROVED, 2), (PS.BUILDING, 4), (PS.PRODUCING, 3)),
        }
        out, used = [], set()
        for _ in range(count):
            kind = rng.choices((PK.SCIENCE_RESERVE, PK.TALENT_PROJECT, PK.INDUSTRIALISATION), (45, 30, 25))[0]
            status = rng.choices([s for s, _ in statuses[kind]], [w for _, w in statuses[kind]])[0]
            enterprise = pick(rng)
            chain = self.chains[enterprise.chain_code]
            subject, product, unit = rng.choice(vocab.PROJECT_SUBJECTS[chain.family])
            if kind == PK.SCIENCE_RESERVE:
                name = f"{subject}{rng.choice(('关键技术研发', '关键技术研究与应用', '研发及产业化'))}"
                investment = rng.uniform(50, 2000)
            elif kind == PK.TALENT_PROJECT:
                name = f"{subject}{rng.choice(('研发创新团队', '高层次人才创新项目', '人才团队攻关项目'))}"
                investment = rng.uniform(100, 5000)
            else:
                qty = rng.choice(vocab.QUANTITIES[unit])
                name = f"年产{qty}{unit}{product}{rng.choice(('项目', '建设项目', '智能化技改项目'))}"
                investment = rng.uniform(3000, 150000)
            if name in used:
                name = enterprise.short_name + name
            used.add(name)
            leaders = seniors.get(enterprise.no) or []
            started = None
            if status != PS.RESERVE:
                started = random_date(rng, dt.date(2020, 1, 1), REFERENCE_DATE - dt.timedelta(days=30))
            out.append(
                ProjectSpec(
                    zone_code=self.zone.code,
                    name=name,
                    kind=kind,
                    status=status,
                    enterprise_no=enterprise.no,
                    leader_no=rng.choice(leaders)[0] if leaders and rng.random() < 0.8 else None,
                    chain_code=chain.code,
                    investment=Decimal(round(investment, 1)).quantize(Decimal("0.01")),
                    started_on=started,
                    description=f"由{enterprise.short_name}承担，面向{chain.name}产业链，围绕{subject}开展攻关。",
                )
            )
        return out + self._challenges(max(2, round(count * CHALLENGES_PER_PROJECT)), seed, seniors, used)

    def _challenges(
        self, count: int, seed: int, seniors: dict[int, list[tuple[int, str]]], used: set[str]
    ) -> list[ProjectSpec]:
        """揭榜挂帅 projects posted by key enterprises (masters and leading ones first), in progress."""
        rng = random.Random(f"{seed}:{self.zone.code}:challenges")
        PS = Project.Status
        posters = [e for e in self.ranked() if e.is_key][: max(count * 2, 6)]
        out = []
        for e in rng.sample(posters, min(count, len(posters))):
            chain = self.chains[e.chain_code]
            subject = rng.choice(vocab.PROJECT_SUBJECTS[chain.family])[0]
            name = f"{subject}{rng.choice(CHALLENGE_NAMES)}"
            if name in used:
                name = e.short_name + name
            used.add(name)
            leaders = seniors.get(e.no) or []
            investment = rng.choice((300, 450, 600, 800, 1000, 1200, 1500, 2000, 2500)) + rng.randrange(
                0, 100
            )
            out.append(
                ProjectSpec(
                    zone_code=self.zone.code,
                    name=name,
                    kind=Project.Kind.CHALLENGE,
                    status=rng.choice((PS.APPROVED, PS.BUILDING, PS.BUILDING)),
                    enterprise_no=e.no,
                    leader_no=rng.choice(leaders)[0] if leaders else None,
                    chain_code=chain.code,
                    investment=Decimal(investment).quantize(Decimal("0.01")),
                    started_on=random_date(rng, *CHALLENGE_WINDOW),
                    description=(
                        f"由{e.short_name}发榜，面向全国征集揭榜团队，攻克{chain.name}产业链"
                        f"{subject}关键技术，按里程碑节点验收。"
                    ),
                )
            )
        return out


def _shares_word(a: str, b: str) -> bool:
    """Whether two names have a two-character word in common."""
    return any(a[i : i + 2] in b for i in range(len(a) - 1))


def _interleave(items: list[tuple[ChainProfile, str, int]], chains: tuple[ChainProfile, ...]) -> list:
    """Round-robin across chains, so the first N enterprises cover every chain."""
    by_chain = [[it for it in items if it[0] is chain] for chain in chains]
    out = []
    for i in range(max((len(b) for b in by_chain), default=0)):
        out += [b[i] for b in by_chain if i < len(b)]
    return out
