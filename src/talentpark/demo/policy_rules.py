"""The executable side of the demo policies: redemption settings and dated rule versions.

One :class:`PolicyRuleSpec` per template of :mod:`talentpark.demo.policy_texts`, keyed by the
template's title (with its ``{zone}`` placeholder). Each version's clauses cite an article of
the policy text, say in plain Chinese what they require, and test it with a CEL expression
over the field catalogue (:mod:`talentpark.policies.catalogue`); the outcome is an amount in
yuan, a tier ``A``–``E`` (certification) or nothing (a non-monetary benefit).

Pure data: nothing here touches the database. The writer turns these into ``Policy`` fields
and ``PolicyVersion`` rows; publishing and evaluating them is the policies app's job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from talentpark.policies.models import Policy, PolicyVersion

Mode, Recurrence = Policy.Mode, Policy.Recurrence
VS, VT, OK = PolicyVersion.Status, PolicyVersion.Target, PolicyVersion.OutcomeKind
d = dt.date


@dataclass(frozen=True)
class ClauseSpec:
    """One condition: the article it comes from, what it requires (Chinese), its CEL test."""

    article: str  # "第三条"
    text: str
    expr: str

    def as_json(self) -> dict[str, str]:
        return {"article": self.article, "text": self.text, "expr": self.expr}


@dataclass(frozen=True)
class VersionSpec:
    """One dated version of a policy's rule."""

    number: int
    status: str  # PolicyVersion.Status
    target: str  # PolicyVersion.Target: whose fields the expressions read
    valid_from: dt.date
    valid_to: dt.date | None
    clauses: tuple[ClauseSpec, ...]
    outcome_kind: str  # PolicyVersion.OutcomeKind
    outcome_expr: str = ""  # CEL: yuan (amount) or "A".."E" (tier); empty for none
    outcome_article: str = ""
    benefit: str = ""
    tier_valid_years: int = 3
    tier_validity: tuple[tuple[str, int], ...] = ()  # tiers whose certification lasts otherwise
    note: str = ""

    def clauses_json(self) -> list[dict[str, str]]:
        return [c.as_json() for c in self.clauses]


@dataclass(frozen=True)
class PolicyRuleSpec:
    """How a policy is redeemed and approved, and its rule versions (oldest first)."""

    mode: str  # Policy.Mode
    recurrence: str  # Policy.Recurrence
    approval_levels: int  # 1–3
    budget_total: Decimal | None  # yuan; None: no money involved
    versions: tuple[VersionSpec, ...]
    materials: tuple[str, ...] = ()  # what an applicant uploads (申报类)
    # Who approves each level: a department's local key (talentpark.demo.staff.DEPARTMENTS), None the office.
    approvers: tuple[str | None, ...] = ()

    @property
    def materials_text(self) -> str:
        return "\n".join(self.materials)


def yuan(amount: int) -> Decimal:
    return Decimal(amount).quantize(Decimal("0.01"))


ALL_TIERS = '["A", "B", "C", "D", "E"]'
# "tier" is null for a talent never certified (or whose certification lapsed): test it first, so the
# clause is false ("not certified") rather than undecided.
EMPLOYED = ClauseSpec("第二条", "在区内企业全职工作", "has_employer")

# -- 人才分类认定 ---------------------------------------------------------------------------------

CERTIFICATION_TIER = (
    'programme == "国家级" && title_level == 4 ? "A"'
    ' : (programme == "国家级" ? "B"'
    ' : (programme == "省级" || title_level == 4 || degree == "博士后" ? "C"'
    ' : (degree == "博士" || title_level == 3 || programme == "市级" || skill_level == 5 ? "D"'
    ' : "E")))'
)
CERTIFICATION = PolicyRuleSpec(
    mode=Mode.APPLY,
    recurrence=Recurrence.ONCE,
    approval_levels=2,  # 人力资源和社会保障局初审、人才工作领导小组办公室复核
    approvers=("hrss", None),
    budget_total=None,
    materials=(
        "劳动合同",
        "在区内缴纳社会保险的证明",
        "学历学位证书",
        "专业技术职称证书或职业技能等级证书（如有）",
        "人才计划入选文件（如有）",
    ),
    versions=(
        VersionSpec(
            number=1,
            status=VS.PUBLISHED,
            target=VT.TALENT,
            valid_from=d(2024, 4, 1),
            valid_to=d(2028, 12, 31),
            clauses=(
                ClauseSpec("第二条", "与区内用人单位签订劳动合同并在区内工作", "has_employer"),
                ClauseSpec(
                    "第三条",
                    "符合A至E类人才条件之一：入选市级以上人才计划，或具有硕士以上学历、中级以上职称、技师以上职业技能等级",
                    'programme in ["国家级", "省级", "市级"] || degree_level >= 3 || title_level >= 2'
                    " || skill_level >= 4",
                ),
            ),
            outcome_kind=OK.TIER,
            outcome_expr=CERTIFICATION_TIER,
            outcome_article="第三条",
            tier_valid_years=3,
            tier_validity=(("A", 5), ("B", 5)),  # the text: A/B last five years, C–E three
            benefit="认定为相应类别人才，凭人才码享受安家、住房、子女入学、医疗等服务待遇",
        ),
    ),
)

# -- 安家补贴 (2024) ------------------------------------------------------------------------------

SETTLING_BASE = (
    '(degree == "博士后" ? 150000 : (degree == "博士" ? 100000 : (degree == "硕士" ? 30000'
    " : (top_university ? 15000 : 10000))))"
)
SETTLING = PolicyRuleSpec(
    mode=Mode.AUTO,
    recurrence=Recurrence.YEARLY,  # 40% / 30% / 30% over three years
    approval_levels=2,
    approvers=("hrss", "finance"),
    budget_total=yuan(30_000_000),
    versions=(
        VersionSpec(
            number=1,
            status=VS.PUBLISHED,
            target=VT.TALENT,
            valid_from=d(2024, 6, 1),
            valid_to=d(2027, 12, 31),
            clauses=(
                ClauseSpec(
                    "第二条",
                    "2024年6月1日以后首次在区内企业就业",
                    'has_employer && zone_entry_date >= date("2024-06-01")',
                ),
                ClauseSpec("第三条", "具有全日制本科及以上学历", "degree_level >= 2"),
                ClauseSpec("第四条", "入区未满三年（补贴分三年发放）", "years_in_zone <= 2"),
            ),
            outcome_kind=OK.AMOUNT,
            outcome_expr=f"{SETTLING_BASE} * (years_in_zone == 0 ? 0.4 : 0.3)",
            outcome_article="第三条、第四条",
        ),
    ),
)

# -- 人才公寓 -------------------------------------------------------------------------------------

APARTMENT = PolicyRuleSpec(
    mode=Mode.AUTO,
    recurrence=Recurrence.ONCE,
    approval_levels=1,
    approvers=("housing",),
    budget_total=None,
    versions=(
        VersionSpec(
            number=1,
            status=VS.PUBLISHED,
            target=VT.TALENT,
            valid_from=d(2024, 7, 1),
            valid_to=None,
            clauses=(
                ClauseSpec(
                    "第三条",
                    "已认定为A至E类人才，或为35周岁以下、本科及以上学历的青年人才",
                    f"(tier != null && tier in {ALL_TIERS}) || (age <= 35 && degree_level >= 2)",
                ),
                ClauseSpec("第五条", "本人在当地无自有住房", 'housing != "自有住房"'),
            ),
            outcome_kind=OK.NONE,
            outcome_article="第三条",
            benefit="可申请人才公寓（A、B类免租入住专家公寓，C类租金减半，D、E类及青年人才按标准租金六折）",
        ),
    ),
)

# -- 租房补贴 -------------------------------------------------------------------------------------

RENT = PolicyRuleSpec(
    mode=Mode.AUTO,
    recurrence=Recurrence.MONTHLY,
    approval_levels=1,
    approvers=("housing",),
    budget_total=yuan(24_000_000),
    versions=(
        VersionSpec(
            number=1,
            status=VS.PUBLISHED,
            target=VT.TALENT,
            valid_from=d(2025, 3, 1),
            valid_to=d(2027, 12, 31),
            clauses=(
                ClauseSpec("第二条", "年龄在35周岁以下", "age <= 35"),
                ClauseSpec("第二条", "具有全日制专科及以上学历", "degree_level >= 1"),
                EMPLOYED,
                ClauseSpec(
                    "第二条",
                    "在区内租房居住，无自有住房且未入住人才公寓",
                    'housing == "租房"',
                ),
                ClauseSpec("第三条", "入区未满三年（补贴期限累计不超过36个月）", "years_in_zone < 3"),
            ),
            outcome_kind=OK.AMOUNT,
            outcome_expr=(
                "degree_level >= 4 ? 1500 : (degree_level == 3 ? 1000 : (degree_level == 2 ? 600 : 400))"
            ),
            outcome_article="第三条",
        ),
    ),
)

# -- 青年人才生活补贴 (v2 is an edit in progress) --------------------------------------------------

LIVING_V1_CLAUSES = (
    ClauseSpec("第二条", "具有全日制硕士研究生或本科学历", 'degree in ["硕士", "本科"]'),
    ClauseSpec("第二条", "毕业三年内", "years_since_graduation <= 3"),
    EMPLOYED,
)
LIVING_AMOUNT = 'degree == "硕士" ? 2000 : 1000'
LIVING = PolicyRuleSpec(
    mode=Mode.AUTO,
    recurrence=Recurrence.MONTHLY,
    approval_levels=1,
    approvers=("hrss",),
    budget_total=yuan(12_000_000),
    versions=(
        VersionSpec(
            number=1,
            status=VS.PUBLISHED,
            target=VT.TALENT,
            valid_from=d(2025, 5, 1),
            valid_to=d(2028, 4, 30),
            clauses=LIVING_V1_CLAUSES,
            outcome_kind=OK.AMOUNT,
            outcome_expr=LIVING_AMOUNT,
            outcome_article="第三条",
        ),
        VersionSpec(
            number=2,
            status=VS.DRAFT,
            target=VT.TALENT,
            valid_from=d(2027, 1, 1),
            valid_to=d(2028, 4, 30),
            clauses=(
                *LIVING_V1_CLAUSES,
                ClauseSpec(
                    "第二条",
                    "2025年5月1日以后首次到区内企业工作",
                    'zone_entry_date >= date("2025-05-01")',
                ),
                ClauseSpec("第三条", "入区未满三年（发放期限三年）", "years_in_zone < 3"),
            ),
            outcome_kind=OK.AMOUNT,
            outcome_expr=LIVING_AMOUNT,
            outcome_article="第三条",
            note="补充第二条“2025年5月1日以后首次到区内企业工作”和第三条三年发放期限的条件",
        ),
    ),
)

# -- 配偶就业 -------------------------------------------------------------------------------------

SPOUSE = PolicyRuleSpec(
    mode=Mode.AUTO,
    recurrence=Recurrence.MONTHLY,
    approval_levels=2,  # 人力资源和社会保障局审核、财政局拨付
    approvers=("hrss", "finance"),
    budget_total=yuan(3_000_000),
    versions=(
        VersionSpec(
            number=1,
            status=VS.PUBLISHED,
            target=VT.TALENT,
            valid_from=d(2024, 9, 1),
            valid_to=None,
            clauses=(
                ClauseSpec("第二条", "已认定为A类、B类或C类人才", 'tier != null && tier in ["A", "B", "C"]'),
                ClauseSpec("第二条", "已登记随迁配偶", "has_spouse"),
                ClauseSpec("第四条", "配偶暂时未能就业", "spouse_seeking_job"),
            ),
            outcome_kind=OK.AMOUNT,
            outcome_expr="3000",
            outcome_article="第四条",
            benefit="配偶优先推荐到区内重点企业就业；未就业期间每月发放3000元过渡期生活补贴，最长24个月",
        ),
    ),
)

# -- 子女入学 -------------------------------------------------------------------------------------

SCHOOLING = PolicyRuleSpec(
    mode=Mode.APPLY,
    recurrence=Recurrence.YEARLY,  # applications every June
    approval_levels=1,
    approvers=("education",),
    budget_total=None,
    materials=("子女出生医学证明或户口簿", "拟就读学校及学段意向"),
    versions=(
        VersionSpec(
            number=1,
            status=VS.PUBLISHED,
            target=VT.TALENT,
            valid_from=d(2024, 9, 1),
            valid_to=None,
            clauses=(
                ClauseSpec("第二条", "已认定为A类至D类人才", 'tier != null && tier in ["A", "B", "C", "D"]'),
                ClauseSpec("第二条", "有未满18周岁的子女", "children_under_18 > 0"),
            ),
            outcome_kind=OK.NONE,
            outcome_article="第二条",
            benefit="子女可在区内公办幼儿园、小学、初中中选择就读，由教育和体育局统筹安排",
        ),
    ),
)

# -- 医疗保健 -------------------------------------------------------------------------------------

MEDICAL = PolicyRuleSpec(
    mode=Mode.AUTO,
    recurrence=Recurrence.YEARLY,  # one health check a year; the tier is checked again each year
    approval_levels=1,
    approvers=("health",),
    budget_total=None,
    versions=(
        VersionSpec(
            number=1,
            status=VS.PUBLISHED,
            target=VT.TALENT,
            valid_from=d(2025, 7, 1),
            valid_to=None,
            clauses=(
                ClauseSpec("第二条", "已认定为A类、B类或C类人才", 'tier != null && tier in ["A", "B", "C"]'),
            ),
            outcome_kind=OK.NONE,
            outcome_article="第二条、第三条",
            benefit="合作医院就医绿色通道（优先挂号、优先检查、专人陪同）和每年一次健康体检",
        ),
    ),
)

# -- 创新平台建设奖励 (enterprise) ------------------------------------------------------------------

PLATFORM_REWARD = PolicyRuleSpec(
    mode=Mode.APPLY,
    recurrence=Recurrence.ONCE,
    approval_levels=3,  # 科技创新局初审、财政局复核、管委会审定
    approvers=("science", "finance", None),
    budget_total=yuan(6_000_000),
    materials=(
        "平台获批文件",
        "院士（专家）团队合作协议及在站工作记录",
        "博士后进站人员名单",
        "企业营业执照",
        "上年度研发投入情况说明",
    ),
    versions=(
        VersionSpec(
            number=1,
            status=VS.PUBLISHED,
            target=VT.ENTERPRISE,
            valid_from=d(2025, 1, 1),
            valid_to=d(2027, 12, 31),
            clauses=(
                ClauseSpec(
                    "第二条",
                    "近一年内新获批省级以上院士工作站或博士后科研工作站（创新实践基地）",
                    "new_academician_stations + new_postdoc_stations >= 1",
                ),
            ),
            outcome_kind=OK.AMOUNT,
            outcome_expr=("min(new_academician_stations * 1000000 + new_postdoc_stations * 300000, 1500000)"),
            outcome_article="第二条、第三条、第六条",
        ),
    ),
)

# -- 揭榜挂帅 (enterprise) ------------------------------------------------------------------------

CHALLENGE = PolicyRuleSpec(
    mode=Mode.APPLY,
    recurrence=Recurrence.ONCE,
    approval_levels=3,
    approvers=("science", "finance", None),
    budget_total=yuan(15_000_000),
    materials=(
        "揭榜挂帅项目任务书",
        "与揭榜方签订的技术合同及技术合同登记证明",
        "项目投资明细及资金到位证明",
        "里程碑节点验收报告",
    ),
    versions=(
        VersionSpec(
            number=1,
            status=VS.PUBLISHED,
            target=VT.ENTERPRISE,
            valid_from=d(2025, 7, 1),
            valid_to=None,
            clauses=(
                ClauseSpec("第二条", "发榜单位为区内重点企业", "is_key"),
                ClauseSpec(
                    "第四条",
                    "有已立项、在建或已投产的揭榜挂帅项目，且项目投资已落实",
                    "challenge_projects >= 1 && challenge_investment > 0",
                ),
            ),
            outcome_kind=OK.AMOUNT,
            # challenge_investment is in 万元: × 10000 → yuan.
            outcome_expr="min(challenge_investment * 10000 * 0.2, 3000000)",
            outcome_article="第四条",
        ),
    ),
)

# -- 技能人才 (draft policy) ----------------------------------------------------------------------

SKILLS = PolicyRuleSpec(
    mode=Mode.AUTO,
    recurrence=Recurrence.ONCE,
    approval_levels=1,
    approvers=("hrss",),
    budget_total=yuan(8_000_000),
    versions=(
        VersionSpec(
            number=1,
            status=VS.DRAFT,
            target=VT.TALENT,
            valid_from=d(2027, 1, 1),
            valid_to=None,
            clauses=(
                ClauseSpec("第二条", "在区内企业工作", "has_employer"),
                ClauseSpec("第二条", "取得高级工（三级）及以上职业技能等级", "skill_level >= 3"),
            ),
            outcome_kind=OK.AMOUNT,
            outcome_expr="skill_level == 5 ? 5000 : (skill_level == 4 ? 3000 : 1000)",
            outcome_article="第二条",
            note="征求意见稿：按第二条拟定；发布前补充“新取得”证书的时间条件",
        ),
    ),
)

# -- 安家补贴 (2021, expired) ---------------------------------------------------------------------

SETTLING_2021 = PolicyRuleSpec(
    mode=Mode.APPLY,
    recurrence=Recurrence.ONCE,
    approval_levels=2,
    approvers=("hrss", None),
    budget_total=yuan(5_000_000),
    materials=("劳动合同", "学历学位证书", "社会保险缴纳证明"),
    versions=(
        VersionSpec(
            number=1,
            status=VS.RETIRED,
            target=VT.TALENT,
            valid_from=d(2021, 1, 12),
            valid_to=d(2023, 12, 31),
            clauses=(
                ClauseSpec("第二条", "具有博士或硕士研究生学历", 'degree in ["博士", "硕士"]'),
                ClauseSpec(
                    "第二条",
                    "2021年1月12日至2023年12月31日期间全职引进到区内企业",
                    'has_employer && zone_entry_date >= date("2021-01-12")'
                    ' && zone_entry_date <= date("2023-12-31")',
                ),
            ),
            outcome_kind=OK.AMOUNT,
            outcome_expr='degree == "博士" ? 80000 : 20000',
            outcome_article="第二条",
            note="2024年实施细则施行后停用",
        ),
    ),
)

# Keyed by the template title in talentpark.demo.policy_texts.TEMPLATES.
RULES: dict[str, PolicyRuleSpec] = {
    "{zone}高层次人才分类认定办法（试行）": CERTIFICATION,
    "{zone}青年人才安家补贴实施细则": SETTLING,
    "{zone}人才公寓配租管理办法": APARTMENT,
    "{zone}青年人才租房补贴发放办法": RENT,
    "{zone}青年人才生活补贴实施办法": LIVING,
    "{zone}高层次人才配偶就业安置办法": SPOUSE,
    "{zone}人才子女入学保障实施办法": SCHOOLING,
    "{zone}高层次人才医疗保健服务办法": MEDICAL,
    "{zone}创新平台建设奖励办法": PLATFORM_REWARD,
    "{zone}关键核心技术攻关“揭榜挂帅”项目管理办法": CHALLENGE,
    "{zone}技能人才提升若干措施（征求意见稿）": SKILLS,
    "{zone}引进高层次人才安家补贴暂行办法": SETTLING_2021,
}


def policy_rule_spec(template_title: str) -> PolicyRuleSpec:
    """The rule spec of a template, by its title as written in ``TEMPLATES`` (``{zone}…``)."""
    return RULES[template_title]
