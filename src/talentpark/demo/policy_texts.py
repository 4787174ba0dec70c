"""Twelve fictional talent policies per zone, written for the demo (amounts are invented).

Texts are templates: ``{zone}`` is the zone's short name, ``{leading}`` its talent
leading group, ``{committee}`` its administrative committee, ``{city}`` its city.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from talentpark.demo.policy_rules import policy_rule_spec
from talentpark.demo.specs import PolicySpec
from talentpark.demo.zones import ZoneProfile
from talentpark.policies.models import Policy

C, T, S = Policy.Category, Policy.Target, Policy.Status
NUMERALS = "零一二三四五六七八九十"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (enough for article numbers)."""
    if n <= 10:
        return NUMERALS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else NUMERALS[tens]) + "十" + (NUMERALS[ones] if ones else "")


def articles(paragraphs: tuple[str, ...]) -> str:
    return "\n".join(f"第{chinese_ordinal(i)}条　{p}" for i, p in enumerate(paragraphs, start=1))


@dataclass(frozen=True)
class PolicyTemplate:
    title: str
    number: str  # "〔2024〕5号" or "" for a draft
    issuer: str  # "leading" or "committee"
    category: str
    target: str
    status: str
    published: dt.date | None
    effective: tuple[dt.date | None, dt.date | None]
    summary: str
    body: tuple[str, ...]


d = dt.date
TEMPLATES: tuple[PolicyTemplate, ...] = (
    PolicyTemplate(
        "{zone}高层次人才分类认定办法（试行）", "〔2024〕5号", "leading", C.CERTIFICATION, T.TALENT, S.PUBLISHED,
        d(2024, 3, 15), (d(2024, 4, 1), d(2028, 12, 31)),
        "把在区全职工作的人才分为A至E五类，规定各类的认定条件、申报流程和有效期；认定结果是享受安家、住房、子女入学等待遇的依据。",
        (
            "为建立以能力、业绩和贡献为导向的人才评价机制，精准落实人才服务待遇，结合{zone}实际，制定本办法。",
            "本办法适用于与{zone}内企业、科研机构或新型研发机构签订一年以上劳动合同，并在区内缴纳社会保险的人员。",
            "人才分为五类：A类为顶尖人才，主要包括入选国家级人才计划并具有正高级职称的人员；B类为领军人才，主要包括入选国家级人才计划的人员；C类为高层次人才，主要包括入选省级人才计划的人员、具有正高级职称的人员和出站博士后；D类为骨干人才，主要包括博士研究生、具有副高级职称的人员、入选市级人才计划的人员和取得高级技师职业技能等级的人员；E类为基础人才，主要包括硕士研究生、具有中级职称的人员和取得技师职业技能等级的人员。",
            "认定常年受理、按月审核。申报人通过人才服务平台一次填报，用人单位核实，人才服务中心初审，人才工作领导小组办公室复核，结果公示五个工作日。",
            "A类、B类人才认定有效期五年，C类至E类人才认定有效期三年。有效期内离开{zone}工作的，认定资格自行终止。",
            "以提供虚假材料等方式取得认定的，撤销其认定，追回已享受的待遇，五年内不再受理其申报。",
            "本办法由{leading}办公室负责解释，自2024年4月1日起施行。",
        ),
    ),
    PolicyTemplate(
        "{zone}青年人才安家补贴实施细则", "〔2024〕12号", "leading", C.SUBSIDY, T.TALENT, S.PUBLISHED,
        d(2024, 5, 20), (d(2024, 6, 1), d(2027, 12, 31)),
        "对新引进的全日制博士后、博士、硕士和本科毕业生分档发放安家补贴，分三年兑现；符合条件的人员经系统比对后确认即可领取。",
        (
            "为吸引青年人才来{zone}就业创业，根据《{zone}高层次人才分类认定办法（试行）》，制定本细则。",
            "2024年6月1日以后首次在{zone}企业就业、签订三年以上劳动合同并在区内缴纳社会保险的全日制高校毕业生，可以享受安家补贴。",
            "补贴标准：出站博士后15万元，博士研究生10万元，硕士研究生3万元，“双一流”建设高校本科毕业生1.5万元，其他本科毕业生1万元。",
            "安家补贴分三年按40%、30%、30%的比例发放。每年由人才服务平台根据社会保险缴纳记录自动筛选符合条件人员，本人在线确认后直接发放至本人银行账户。",
            "已享受过本区其他安家类补贴的，按就高原则不重复享受。",
            "本细则自2024年6月1日起施行，有效期至2027年12月31日。",
        ),
    ),
    PolicyTemplate(
        "{zone}人才公寓配租管理办法", "〔2024〕18号", "committee", C.HOUSING, T.TALENT, S.PUBLISHED,
        d(2024, 6, 28), (d(2024, 7, 1), None),
        "明确人才公寓按人才类别配租：A、B类人才免租入住专家公寓，C类人才租金减半，D、E类和青年人才按优惠租金租住青年人才公寓，技能人才可申请蓝领公寓。",
        (
            "为规范人才公寓的分配、使用和退出管理，让各类人才拎包入住、安心工作，制定本办法。",
            "人才公寓分为专家公寓、青年人才公寓和蓝领公寓三类，由{zone}住房和城乡建设局统一管理，人才服务中心负责受理申请。",
            "A类、B类人才可以免租金入住专家公寓，期限最长五年；C类人才入住专家公寓的，租金按标准租金的50%收取；D类、E类人才和35周岁以下本科及以上学历的青年人才，可以按标准租金的60%租住青年人才公寓。",
            "取得职业技能等级证书的一线技能人才，可以由用人单位统一申请蓝领公寓，租金由单位和个人按约定分担。",
            "申请人及其配偶在{city}市区已有自有住房的，不得申请人才公寓。入住期间购买住房的，应当在三个月内退出。",
            "公寓房源和配租结果通过人才服务平台公开，接受社会监督。",
            "本办法自2024年7月1日起施行。",
        ),
    ),
    PolicyTemplate(
        "{zone}青年人才租房补贴发放办法", "〔2025〕3号", "committee", C.HOUSING, T.TALENT, S.PUBLISHED,
        d(2025, 2, 10), (d(2025, 3, 1), d(2027, 12, 31)),
        "对在区内租房居住、未购房且未入住人才公寓的35周岁以下青年人才按月发放租房补贴，最长三年。",
        (
            "为减轻青年人才来{zone}初期的住房负担，制定本办法。",
            "申请人应当年龄在35周岁以下、具有全日制专科及以上学历、在区内企业全职工作，本人及配偶在{city}无自有住房且未入住人才公寓。",
            "补贴标准为每人每月：博士研究生1500元，硕士研究生1000元，本科600元，专科400元。补贴期限累计不超过36个月。",
            "补贴按月发放。人才服务平台根据社会保险、不动产登记和公寓入住数据自动核验，符合条件的人员无需重复提交材料。",
            "本办法自2025年3月1日起施行，有效期至2027年12月31日。",
        ),
    ),
    PolicyTemplate(
        "{zone}青年人才生活补贴实施办法", "〔2025〕7号", "leading", C.SUBSIDY, T.TALENT, S.PUBLISHED,
        d(2025, 4, 8), (d(2025, 5, 1), d(2028, 4, 30)),
        "对新进区工作的全日制硕士、本科毕业生发放三年生活补贴，按月随工资发放。",
        (
            "为支持青年人才在{zone}扎根成长，制定本办法。",
            "2025年5月1日以后毕业三年内首次到区内企业工作的全日制硕士研究生和本科毕业生，可以申请生活补贴。",
            "补贴标准为硕士研究生每月2000元、本科毕业生每月1000元，发放期限三年。",
            "补贴资金由用人单位随工资代发，每季度凭发放记录向{zone}财政局申请拨付。",
            "本办法与安家补贴可以同时享受。",
            "本办法自2025年5月1日起施行，有效期三年。",
        ),
    ),
    PolicyTemplate(
        "{zone}高层次人才配偶就业安置办法", "〔2024〕21号", "leading", C.SPOUSE, T.TALENT, S.PUBLISHED,
        d(2024, 8, 16), (d(2024, 9, 1), None),
        "为A至C类人才的随迁配偶提供对口安置、企业推荐和过渡期生活补贴，解决人才的后顾之忧。",
        (
            "为帮助高层次人才的随迁配偶在{zone}就业，制定本办法。",
            "A类、B类、C类人才的配偶随迁来区的，可以通过人才服务平台提出就业安置申请，由人才服务中心指定专员跟进。",
            "配偶原为机关事业单位在编人员的，按照有关规定对口协调安置；原在企业工作的，由人力资源和社会保障局优先推荐到区内重点企业就业。",
            "暂时未能就业的，按每月3000元发放过渡期生活补贴，最长24个月。",
            "本办法自2024年9月1日起施行。",
        ),
    ),
    PolicyTemplate(
        "{zone}人才子女入学保障实施办法", "〔2024〕22号", "committee", C.EDUCATION, T.TALENT, S.PUBLISHED,
        d(2024, 8, 16), (d(2024, 9, 1), None),
        "A至D类人才的子女入读区内公办幼儿园和义务教育学校，由教育部门在尊重意愿的基础上统筹安排。",
        (
            "为做好人才子女的入学保障，制定本办法。",
            "A类至D类人才的子女，可以在区内公办幼儿园、小学、初中中选择就读，由{zone}教育和体育局在尊重意愿的前提下统筹安排。",
            "E类人才的子女入读义务教育学校，按照就近入学原则优先安排。",
            "申请人每年6月通过人才服务平台提交申请，专员协助准备材料，教育和体育局在8月底前反馈安排结果。",
            "本办法自2024年9月1日起施行。",
        ),
    ),
    PolicyTemplate(
        "{zone}高层次人才医疗保健服务办法", "〔2025〕11号", "committee", C.MEDICAL, T.TALENT, S.PUBLISHED,
        d(2025, 6, 12), (d(2025, 7, 1), None),
        "为A至C类人才提供就医绿色通道和年度健康体检，凭人才码在合作医院窗口办理。",
        (
            "为做好高层次人才医疗保健服务，制定本办法。",
            "A类、B类、C类人才在区内合作医院就医，出示人才码即可享受优先挂号、优先检查、专人陪同等绿色通道服务。",
            "每年为A类、B类人才及其配偶安排一次健康体检，为C类人才本人安排一次健康体检，费用由{zone}财政承担。",
            "合作医院扫码核验人才身份并在平台登记服务记录，作为年度考核依据。",
            "本办法自2025年7月1日起施行。",
        ),
    ),
    PolicyTemplate(
        "{zone}创新平台建设奖励办法", "〔2024〕30号", "committee", C.PLATFORM, T.ENTERPRISE, S.PUBLISHED,
        d(2024, 10, 9), (d(2025, 1, 1), d(2027, 12, 31)),
        "对新获批院士工作站、博士后科研工作站、博士后创新实践基地和省级以上研发平台的企业给予一次性奖励，对进站博士后给予生活补贴。",
        (
            "为鼓励企业建设高水平创新平台、集聚高层次人才，制定本办法。",
            "企业新建院士工作站并有院士团队实质性开展工作的，一次性奖励100万元。",
            "企业新获批设立博士后科研工作站或博士后创新实践基地的，一次性奖励30万元。",
            "在站博士后每人每年给予生活补贴5万元，最长两年；出站后留区工作的，另给予一次性奖励10万元。",
            "企业新获批国家级、省级重点实验室或工程技术研究中心的，分别奖励100万元、30万元。",
            "同一平台按最高标准奖励一次，不重复享受；同一企业当年获得的院士工作站和博士后平台奖励合计不超过150万元。",
            "本办法自2025年1月1日起施行，有效期至2027年12月31日。",
        ),
    ),
    PolicyTemplate(
        "{zone}关键核心技术攻关“揭榜挂帅”项目管理办法", "〔2025〕15号", "committee", C.INNOVATION, T.BOTH, S.PUBLISHED,
        d(2025, 7, 1), (d(2025, 7, 1), None),
        "由重点企业张榜提出技术难题，面向全国征集揭榜团队，按项目总投资的20%给予发榜企业支持，每家企业最高300万元。",
        (
            "为集聚创新资源破解产业链关键核心技术难题，推行“揭榜挂帅”机制，制定本办法。",
            "区内重点企业围绕产业链短板提出技术需求，经{zone}科技创新局论证后统一张榜发布。",
            "高校、科研院所、企业和创新团队均可揭榜，不设门槛、不论资历，以解决问题的能力为准。",
            "揭榜成功并签订技术合同的，按揭榜项目总投资的20%给予发榜企业支持，同一企业累计最高300万元。",
            "项目实行里程碑管理，按约定节点验收，验收通过后拨付资金。",
            "本办法自发布之日起施行。",
        ),
    ),
    PolicyTemplate(
        "{zone}技能人才提升若干措施（征求意见稿）", "", "leading", C.SUBSIDY, T.BOTH, S.DRAFT,
        None, (None, None),
        "拟对取得高级技师、技师、高级工等级的一线技能人才给予一次性奖励，对企业新建技能大师工作室给予补助。",
        (
            "为壮大产业工人队伍、提高技能人才待遇，拟制定本措施。",
            "区内企业职工新取得高级技师、技师、高级工职业技能等级证书的，分别给予一次性奖励5000元、3000元、1000元。",
            "企业新建国家级、省级、市级技能大师工作室的，分别给予30万元、10万元、5万元建设补助。",
            "企业开展新型学徒制培训的，按每人每年4000元给予培训补贴。",
            "本措施征求意见截止后修改完善，另行发布施行。",
        ),
    ),
    PolicyTemplate(
        "{zone}引进高层次人才安家补贴暂行办法", "〔2021〕9号", "leading", C.SUBSIDY, T.TALENT, S.EXPIRED,
        d(2021, 1, 12), (d(2021, 1, 12), d(2023, 12, 31)),
        "2021至2023年执行的安家补贴政策，已由2024年实施细则替代。",
        (
            "为加快引进高层次人才，制定本暂行办法。",
            "全职引进的博士研究生给予安家补贴8万元，硕士研究生给予2万元，分两年发放。",
            "本暂行办法有效期至2023年12月31日，期满后按新政策执行。",
        ),
    ),
)  # fmt: skip


def plan_policies(zone: ZoneProfile, author_no: int | None = None) -> list[PolicySpec]:
    """The zone's twelve policies, with its own names, bodies, document numbers and rules."""
    words = {
        "zone": zone.short_name,
        "leading": zone.leading_group,
        "committee": zone.committee,
        "city": zone.city_name.removesuffix("市"),
    }
    out = []
    for t in TEMPLATES:
        issuer = zone.leading_group if t.issuer == "leading" else zone.committee
        out.append(
            PolicySpec(
                zone_code=zone.code,
                title=t.title.format(**words),
                doc_number=f"{zone.doc_prefix}{t.number}" if t.number else "",
                issuing_body=issuer,
                category=t.category,
                target=t.target,
                published_on=t.published,
                effective_from=t.effective[0],
                effective_to=t.effective[1],
                summary=t.summary.format(**words),
                full_text=articles(tuple(p.format(**words) for p in t.body)),
                status=t.status,
                rules=policy_rule_spec(t.title),
                author_no=author_no,
            )
        )
    return out
