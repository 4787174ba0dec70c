"""A small searchable zone on top of the ``world`` personas, indexed from scratch.

Named records the relevance tests look for: two chain enterprises (鲁擎重工, 运河数科), an
academician workstation, a postdoc station, an incubator, a project, a policy, a job and a
demand, and the talents 张三 (a doctor of mechanical engineering at 鲁擎重工), 李四, and 王五 and
王六 (the same but for the name: their scores tie).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from talentpark.core.models import University
from talentpark.core.search.index import rebuild
from talentpark.policies.models import Policy
from talentpark.recruitment.models import PersonnelDemand, Position
from talentpark.registry.models import (
    ChainRole,
    ChainSegment,
    Education,
    Enterprise,
    EnterpriseChainRole,
    IndustryChain,
    Platform,
    Project,
    Talent,
)
from talentpark.registry.tests.factories import EnterpriseFactory, TalentFactory


@dataclass
class SearchZone:
    world: Any
    luqing: Enterprise
    yunhe: Enterprise
    machinery: IndustryChain
    digital: IndustryChain
    academician: Platform
    postdoc: Platform
    incubator: Platform
    project: Project
    policy: Policy
    position: Position
    demand: PersonnelDemand
    zhangsan: Talent
    lisi: Talent


def _chain(zone: Any, code: str, name: str, segment: str) -> tuple[IndustryChain, ChainSegment]:
    chain = IndustryChain.objects.create(zone=zone, code=code, name=name)
    return chain, ChainSegment.objects.create(chain=chain, name=segment, stage=ChainSegment.Stage.MIDSTREAM)


def build_search_zone(world: Any) -> SearchZone:
    zone = world.zone
    machinery, machinery_seg = _chain(zone, "machinery", "工程机械及智能装备", "工程机械整机")
    digital, digital_seg = _chain(zone, "digital", "数字经济", "信息系统集成与数据服务")
    luqing = EnterpriseFactory(
        zone=zone,
        name="山东鲁擎重工机械股份有限公司",
        short_name="鲁擎重工",
        industry_id="3514",
        specialist=world.bob,
        department=world.team1,
        description="主要从事工程机械整机的研发、生产和销售。",
    )
    yunhe = EnterpriseFactory(
        zone=zone,
        name="济宁运河数字科技集团有限公司",
        short_name="运河数科",
        industry_id="6531",
        is_high_tech=True,
    )
    EnterpriseChainRole.objects.create(
        zone=zone, enterprise=luqing, chain=machinery, segment=machinery_seg, role=ChainRole.CHAIN_MASTER
    )
    EnterpriseChainRole.objects.create(
        zone=zone, enterprise=yunhe, chain=digital, segment=digital_seg, role=ChainRole.LEADING
    )
    academician = Platform.objects.create(
        zone=zone,
        name="鲁擎重工院士工作站",
        kind=Platform.Kind.ACADEMICIAN,
        level=Platform.Level.PROVINCIAL,
        enterprise=luqing,
        chain=machinery,
        approved_on=dt.date(2022, 5, 1),
    )
    postdoc = Platform.objects.create(
        zone=zone,
        name="运河数科博士后科研工作站",
        kind=Platform.Kind.POSTDOC_STATION,
        level=Platform.Level.NATIONAL,
        enterprise=yunhe,
        chain=digital,
        approved_on=dt.date(2021, 9, 1),
    )
    incubator = Platform.objects.create(
        zone=zone,
        name="测试高新区智能制造科技企业孵化器",
        kind=Platform.Kind.INCUBATOR,
        level=Platform.Level.ZONE,
        host_organisation="测试高新区科创服务中心",
    )
    project = Project.objects.create(
        zone=zone,
        name="盾构机主驱动减速机关键技术研究",
        kind=Project.Kind.SCIENCE_RESERVE,
        enterprise=luqing,
        chain=machinery,
        started_on=dt.date(2024, 3, 1),
    )
    policy = Policy.objects.create(
        zone=zone,
        title="测试高新区青年人才安家补贴实施细则",
        doc_number="济高新发〔2024〕12号",
        issuing_body="测试高新区党工委人才工作领导小组",
        category=Policy.Category.SUBSIDY,
        target=Policy.Target.TALENT,
        published_on=dt.date(2024, 4, 1),
        summary="对新引进的全日制博士、硕士和本科毕业生分档发放安家补贴。",
        status=Policy.Status.PUBLISHED,
    )
    position = Position.objects.create(
        zone=zone,
        enterprise=yunhe,
        title="Java开发工程师",
        category=Position.Category.IT,
        min_degree="21",
        major="计算机科学与技术",
        salary_min=9000,
        salary_max=15000,
        published_on=dt.date(2025, 3, 1),
    )
    demand = PersonnelDemand.objects.create(
        zone=zone,
        enterprise=luqing,
        title="液压系统研发人才",
        major="机械工程",
        min_degree="11",
        reported_on=dt.date(2025, 2, 1),
        urgency=PersonnelDemand.Urgency.SCARCE,
    )
    university = University.objects.order_by("name").first()
    zhangsan = TalentFactory(
        zone=zone,
        employer=luqing,
        specialist=world.bob,
        department=world.team1,
        position_title="研发中心副主任",
        professional_title="2",
        tier=Talent.Tier.C,
        person__name="张三",
        person__highest_degree="11",
    )
    Education.objects.create(person=zhangsan.person, degree="11", major="机械工程", university=university)
    lisi = TalentFactory(
        zone=zone,
        employer=yunhe,
        specialist=world.carol,
        department=world.team1,
        position_title="软件开发工程师",
        person__name="李四",
        person__name_pinyin="lisi ls",
    )
    Education.objects.create(person=lisi.person, degree="21", major="软件工程", university=university)
    for name in ("王五", "王六"):  # identical records but the name: equal scores, ties to break
        TalentFactory(zone=zone, employer=yunhe, position_title="测试工程师", person__name=name)
    return SearchZone(
        world,
        luqing,
        yunhe,
        machinery,
        digital,
        academician,
        postdoc,
        incubator,
        project,
        policy,
        position,
        demand,
        zhangsan,
        lisi,
    )


@pytest.fixture
def search_zone(world: Any) -> SearchZone:
    zone = build_search_zone(world)
    rebuild()
    return zone
