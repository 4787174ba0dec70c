"""What each import sheet holds: its Chinese headers, how every cell is read, its drop-down list.

One :class:`SheetSpec` per registry. The same specs drive the downloadable template
(headers, drop-downs, the 说明 sheet), the validation of an upload, the marked-up error
workbook and the import-format export, so the four can never disagree.

The workbook format is Chinese in every interface language: a file exported by one
user imports for another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from talentpark.core.codes import Degree, ProfessionalTitle, ProgrammeLevel, Sex, SkillLevel
from talentpark.registry.models import Enterprise, ImportJob, Platform, Project, Talent

# Cell kinds: how a raw cell becomes a value (see rows.parse_cell).
TEXT, ID_NUMBER, MOBILE, DATE, CHOICE, BOOL, INT, AMOUNT, EMAIL, USCC, REF = (
    "text",
    "id_number",
    "mobile",
    "date",
    "choice",
    "bool",
    "int",
    "amount",
    "email",
    "uscc",
    "ref",
)
# Reference look-ups (rows.Lookups): code tables and this zone's own records.
UNIVERSITY, INDUSTRY, DIVISION, ENTERPRISE, CHAIN = (
    "university",
    "industry",
    "division",
    "enterprise",
    "chain",
)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = TEXT
    required: bool = False
    max_len: int = 0
    choices: type[models.TextChoices] | None = None
    aliases: Mapping[str, str] = field(default_factory=dict)
    default: Any = ""  # the value of a blank optional cell
    ref: str = ""
    not_future: bool = False
    fmt: str = ""
    example: str = ""
    width: int = 14

    @property
    def title(self) -> str:
        """The header as written in the workbook: required columns carry a "*"."""
        return f"{self.header}*" if self.required else self.header

    @property
    def list_source(self) -> str:
        """Name of the drop-down list of this column ("" when it has none)."""
        if self.kind == CHOICE:
            return f"choice:{self.key}"
        return self.ref if self.kind == REF else ""

    def choice_labels(self) -> list[str]:
        assert self.choices is not None
        return [str(label) for _code, label in self.choices.choices]


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    sheet: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the upsert key within the zone (duplicates inside a file are found by it)
    key_label: str
    notes: tuple[str, ...] = ()

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


_DEGREE_ALIASES = {"大专": Degree.ZHUANKE, "学士": Degree.BENKE, "硕士": Degree.SHUOSHI, "博士": Degree.BOSHI}
_TITLE_ALIASES = {
    "副高": ProfessionalTitle.VICE_SENIOR,
    "正高": ProfessionalTitle.SENIOR,
    "员级": ProfessionalTitle.JUNIOR,
    "助理级": ProfessionalTitle.JUNIOR,
}
_SKILL_ALIASES = {
    alias: level
    for level, names in (
        (SkillLevel.L5, ("五级", "初级工")),
        (SkillLevel.L4, ("四级", "中级工")),
        (SkillLevel.L3, ("三级", "高级工")),
        (SkillLevel.L2, ("二级", "技师")),
        (SkillLevel.L1, ("一级", "高级技师")),
    )
    for alias in names
}
_PROGRAMME_ALIASES = {
    "国家级": ProgrammeLevel.NATIONAL,
    "省级": ProgrammeLevel.PROVINCIAL,
    "市级": ProgrammeLevel.MUNICIPAL,
    "区级": ProgrammeLevel.ZONE,
}
_DATE_FMT = "日期，如 2021-03-01（也可写 2021/3/1、2021年3月1日、20210301）"
_BOOL_FMT = "填“是”或“否”，留空视为“否”"
_ENTERPRISE_FMT = "本园区企业的18位统一社会信用代码（下拉列表为“代码 名称”，也可只填代码或企业全称）"

TALENTS = SheetSpec(
    kind=ImportJob.Kind.TALENT,
    sheet="人才",
    title="人才库",
    key=("id_number",),
    key_label="身份证号",
    columns=(
        Column("name", "姓名", required=True, max_len=50, example="王晓明", width=10),
        Column(
            "id_number",
            "身份证号",
            ID_NUMBER,
            required=True,
            fmt="18位居民身份证号，末位可为X；请按文本填写，勿用数字格式（会丢失末几位）",
            example="370811199005170023",
            width=21,
        ),
        Column(
            "phone", "手机号码", MOBILE, required=True, fmt="11位手机号码", example="13912345678", width=14
        ),
        Column(
            "sex",
            "性别",
            CHOICE,
            choices=Sex,
            fmt="男/女；可留空（按身份证号判断），填写则须与身份证号一致",
            width=6,
        ),
        Column(
            "birth_date",
            "出生日期",
            DATE,
            fmt="可留空；填写则须与身份证号一致",
            example="1990-05-17",
            width=12,
        ),
        Column(
            "highest_degree",
            "最高学历",
            CHOICE,
            choices=Degree,
            aliases=_DEGREE_ALIASES,
            fmt="专科/本科/硕士研究生/博士研究生/博士后",
            example="硕士研究生",
            width=12,
        ),
        Column(
            "university",
            "毕业院校",
            REF,
            ref=UNIVERSITY,
            fmt="院校全称，须在院校代码表中；填写时须同时填写最高学历",
            example="山东大学",
            width=20,
        ),
        Column("major", "所学专业", max_len=60, example="机械工程", width=16),
        Column(
            "graduated_on", "毕业时间", DATE, not_future=True, fmt=_DATE_FMT, example="2015-06-30", width=12
        ),
        Column(
            "employer", "工作单位（统一社会信用代码）", REF, ref=ENTERPRISE, fmt=_ENTERPRISE_FMT, width=32
        ),
        Column("position_title", "职务/岗位", max_len=60, example="研发工程师", width=14),
        Column(
            "professional_title",
            "专业技术职称",
            CHOICE,
            choices=ProfessionalTitle,
            aliases=_TITLE_ALIASES,
            default=ProfessionalTitle.NONE,
            fmt="无/初级/中级/副高级/正高级，留空视为“无”",
            example="中级",
            width=12,
        ),
        Column("title_discipline", "职称专业", max_len=40, example="机械工程", width=12),
        Column(
            "skill_level",
            "职业技能等级",
            CHOICE,
            choices=SkillLevel,
            aliases=_SKILL_ALIASES,
            default=SkillLevel.NONE,
            fmt="无、五级/初级工 … 一级/高级技师，留空视为“无”",
            width=14,
        ),
        Column("skill_occupation", "技能工种", max_len=40, example="焊工", width=12),
        Column(
            "programme_level",
            "入选人才计划",
            CHOICE,
            choices=ProgrammeLevel,
            aliases=_PROGRAMME_ALIASES,
            default=ProgrammeLevel.NONE,
            fmt="无/国家级/省级/市级/区级人才计划，留空视为“无”",
            width=14,
        ),
        Column("programme_name", "人才计划名称", max_len=80, width=20),
        Column(
            "housing",
            "住房情况",
            CHOICE,
            choices=Talent.Housing,
            default=Talent.Housing.RENTED,
            fmt="自有住房/租房/人才公寓/单位宿舍/暂无住房，留空视为“租房”",
            example="租房",
            width=10,
        ),
        Column(
            "zone_entry_date",
            "入区时间",
            DATE,
            required=True,
            not_future=True,
            fmt=_DATE_FMT + "；不能晚于今天",
            example="2021-03-01",
            width=12,
        ),
        Column(
            "hukou_division",
            "户籍所在地（行政区划代码）",
            REF,
            ref=DIVISION,
            fmt="GB/T 2260 六位代码（下拉列表为“代码 名称”）",
            example="370811",
            width=20,
        ),
        Column("hukou_in_zone", "户籍已迁入园区", BOOL, default=False, fmt=_BOOL_FMT, width=8),
        Column("is_returnee", "留学归国人员", BOOL, default=False, fmt=_BOOL_FMT, width=8),
        Column("returnee_country", "留学国家/地区", max_len=40, width=12),
        Column("email", "电子邮箱", EMAIL, example="wangxm@example.com", width=20),
    ),
    notes=(
        "按身份证号识别人员：本园区已有的人才按表格内容更新，没有的新增；再次导入同一文件不会产生任何变化。",
        "工作单位须先在企业库中登记（可先导入企业表）。",
        "表格中出现的列按单元格内容更新（空白单元格表示清空该项或取默认值）；表格中没有的选填列保持原值。",
    ),
)

ENTERPRISES = SheetSpec(
    kind=ImportJob.Kind.ENTERPRISE,
    sheet="企业",
    title="企业库",
    key=("uscc",),
    key_label="统一社会信用代码",
    columns=(
        Column("name", "企业名称", required=True, max_len=100, example="济宁某某智能装备有限公司", width=28),
        Column("short_name", "简称", max_len=40, width=12),
        Column(
            "uscc",
            "统一社会信用代码",
            USCC,
            required=True,
            fmt="18位，含两级校验位；第3至8位的登记机关区划须与注册地同省",
            example="91370811MA3C5D8X76",
            width=21,
        ),
        Column(
            "division",
            "注册地（行政区划代码）",
            REF,
            required=True,
            ref=DIVISION,
            fmt="GB/T 2260 六位代码（下拉列表为“代码 名称”）",
            example="370811",
            width=20,
        ),
        Column(
            "industry",
            "所属行业（GB/T 4754小类）",
            REF,
            required=True,
            ref=INDUSTRY,
            fmt="GB/T 4754-2017 四位小类代码（下拉列表为“代码 名称”）",
            example="3421",
            width=26,
        ),
        Column(
            "scale",
            "企业规模",
            CHOICE,
            choices=Enterprise.Scale,
            default=Enterprise.Scale.SMALL,
            fmt="大型/中型/小型/微型，留空视为“小型”",
            width=8,
        ),
        Column(
            "founded_on", "成立日期", DATE, not_future=True, fmt=_DATE_FMT, example="2012-08-15", width=12
        ),
        Column(
            "registered_capital",
            "注册资本（万元）",
            AMOUNT,
            fmt="不小于0的数字，最多两位小数",
            example="5000",
            width=12,
        ),
        Column(
            "employee_count",
            "职工人数",
            INT,
            default=0,
            fmt="不小于0的整数，留空视为0",
            example="320",
            width=9,
        ),
        Column("is_key", "重点企业", BOOL, default=False, fmt=_BOOL_FMT, width=8),
        Column("is_high_tech", "高新技术企业", BOOL, default=False, fmt=_BOOL_FMT, width=8),
        Column("address", "地址", max_len=200, width=30),
        Column("contact_name", "联系人", max_len=50, width=10),
        Column("contact_phone", "联系电话", MOBILE, fmt="11位手机号码，可留空", width=14),
        Column("description", "企业简介", max_len=2000, width=30),
    ),
    notes=(
        "按统一社会信用代码识别企业：本园区已有的企业按表格内容更新，没有的新增。",
        "表格中出现的列按单元格内容更新（空白单元格表示清空该项或取默认值）；表格中没有的选填列保持原值。",
    ),
)

PLATFORMS = SheetSpec(
    kind=ImportJob.Kind.PLATFORM,
    sheet="创新平台",
    title="平台库",
    key=("name",),
    key_label="平台名称",
    columns=(
        Column(
            "name", "平台名称", required=True, max_len=120, example="济宁市智能装备工程技术研究中心", width=32
        ),
        Column("kind", "平台类型", CHOICE, required=True, choices=Platform.Kind, width=20),
        Column(
            "level",
            "级别",
            CHOICE,
            required=True,
            choices=Platform.Level,
            fmt="国家级/省级/市级/区级",
            width=8,
        ),
        Column(
            "enterprise", "依托企业（统一社会信用代码）", REF, ref=ENTERPRISE, fmt=_ENTERPRISE_FMT, width=32
        ),
        Column(
            "host_organisation",
            "依托单位（非企业）",
            max_len=100,
            fmt="依托高校、院所等非企业单位时填写",
            width=20,
        ),
        Column("chain", "服务产业链", REF, ref=CHAIN, fmt="本园区产业链名称", width=16),
        Column("approved_on", "认定时间", DATE, not_future=True, fmt=_DATE_FMT, width=12),
        Column("approved_by", "认定部门", max_len=60, example="山东省科学技术厅", width=16),
        Column("description", "简介", max_len=2000, width=30),
    ),
    notes=("按平台名称识别平台：本园区已有同名平台的按表格内容更新，没有的新增。",),
)

PROJECTS = SheetSpec(
    kind=ImportJob.Kind.PROJECT,
    sheet="项目",
    title="项目库",
    key=("name", "enterprise"),
    key_label="项目名称和承担单位",
    columns=(
        Column(
            "name", "项目名称", required=True, max_len=150, example="高端液压件智能产线建设项目", width=32
        ),
        Column("kind", "项目类型", CHOICE, required=True, choices=Project.Kind, width=14),
        Column(
            "status",
            "状态",
            CHOICE,
            choices=Project.Status,
            default=Project.Status.RESERVE,
            fmt="储备/已立项/在建/已投产/已结题，留空视为“储备”",
            width=8,
        ),
        Column(
            "enterprise", "承担单位（统一社会信用代码）", REF, ref=ENTERPRISE, fmt=_ENTERPRISE_FMT, width=32
        ),
        Column("chain", "所属产业链", REF, ref=CHAIN, fmt="本园区产业链名称", width=16),
        Column(
            "investment",
            "总投资（万元）",
            AMOUNT,
            fmt="不小于0的数字，最多两位小数",
            example="12000",
            width=12,
        ),
        Column("started_on", "开始时间", DATE, fmt=_DATE_FMT, width=12),
        Column("description", "项目简介", max_len=2000, width=30),
    ),
    notes=("按项目名称与承担单位识别项目：本园区已有的按表格内容更新，没有的新增。",),
)

SPECS: dict[str, SheetSpec] = {s.kind: s for s in (TALENTS, ENTERPRISES, PLATFORMS, PROJECTS)}
