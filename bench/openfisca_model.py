"""A minimal OpenFisca model of the demo policies' eligibility, for ``bench/policy_bench.py``.

One person entity (``talent``) and one group entity (``enterprise``, whose single role is never
used: the benchmark builds a separate default simulation for enterprises). Inputs are the field
catalogue's values (``talentpark.policies.catalogue``) as loaded by one SQL query; there is one
output variable per demo policy version, ``eligible_<key>``, implementing the same clauses as the
CEL rule in ``talentpark.demo.policy_rules`` with NumPy-style formulas (comparisons, ``*`` for
and, ``+`` for or, ``where``).

Nulls. OpenFisca arrays cannot hold nulls, so a field the catalogue can return as null carries a
sentinel plus a mask: enum fields have a ``NULL`` member; integer fields have a companion boolean
input ``<field>_known`` (the value itself is then -1). A rule admits a record only if every clause
is exactly true (SQL's three-valued logic, Kleene ``&&``/``||``); every clause of the demo policies
uses nullable fields in positive positions only (no ``!`` over them), so each formula computes
"definitely true": a comparison with a null operand is false, ``a || b`` is true as soon as one
side is definitely true, ``a && b`` needs both. Inputs the catalogue never returns as null
(``COALESCE``-d counts, ``NOT NULL`` columns, ``CASE … ELSE`` defaults) take no mask; the loader
checks that no null reaches them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

Talent = build_entity(key="talent", plural="talents", label="人才", is_person=True)
Enterprise = build_entity(
    key="enterprise",
    plural="enterprises",
    label="企业",
    roles=[{"key": "member", "plural": "members", "label": "成员"}],
)


# -- enums: the catalogue's choices, with NULL as the sentinel where the field can be null ------


class Degree(Enum):
    NULL = "空"
    JUNIOR_COLLEGE = "专科"
    BACHELOR = "本科"
    MASTER = "硕士"
    DOCTOR = "博士"
    POSTDOC = "博士后"


class Programme(Enum):  # never null: ELSE '无'
    NONE = "无"
    NATIONAL = "国家级"
    PROVINCIAL = "省级"
    MUNICIPAL = "市级"
    ZONE = "区级"


class Tier(Enum):
    NULL = "空"  # not certified, or the certification lapsed
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


class Housing(Enum):
    NULL = "空"
    OWNED = "自有住房"
    RENTED = "租房"
    APARTMENT = "人才公寓"
    DORMITORY = "单位宿舍"
    NONE = "暂无住房"


ENUMS: dict[str, type[Enum]] = {"degree": Degree, "programme": Programme, "tier": Tier, "housing": Housing}


def enum_codes(enum: type[Enum]) -> dict[str | None, int]:
    """Catalogue label → enum index (None → the NULL member's index when there is one)."""
    codes: dict[str | None, int] = {member.value: member.index for member in enum}
    if "NULL" in enum.__members__:
        codes[None] = enum.NULL.index
    return codes


# -- inputs ---------------------------------------------------------------------------------------


def _input(name: str, entity: object, value_type: type, label: str, enum: type[Enum] | None = None) -> type:
    attrs: dict[str, object] = {
        "value_type": value_type,
        "entity": entity,
        "definition_period": DateUnit.YEAR,
        "label": label,
    }
    if enum is not None:
        attrs["possible_values"] = enum
        attrs["default_value"] = enum.NULL if "NULL" in enum.__members__ else next(iter(enum))
    return type(name, (Variable,), attrs)


# (name, type, label): the integer fields that can be null get a "<name>_known" mask.
TALENT_INPUTS: tuple[tuple[str, type, str], ...] = (
    ("has_employer", bool, "已在区内企业就业"),
    ("degree", Enum, "最高学历"),
    ("degree_level", int, "学历等级（未知为 -1，见 degree_level_known）"),
    ("title_level", int, "职称等级"),
    ("skill_level", int, "职业技能等级"),
    ("programme", Enum, "入选人才计划"),
    ("tier", Enum, "人才层次"),
    ("age", int, "年龄"),
    ("zone_entry_date", dt.date, "入区时间"),
    ("years_in_zone", int, "入区年限"),
    ("housing", Enum, "住房情况"),
    ("years_since_graduation", int, "毕业年限（未知为 -1，见 years_since_graduation_known）"),
    ("has_spouse", bool, "已登记配偶"),
    ("spouse_seeking_job", bool, "配偶待就业"),
    ("children_under_18", int, "未成年子女数"),
)
NULLABLE_INTS = ("degree_level", "years_since_graduation")
ENTERPRISE_INPUTS: tuple[tuple[str, type, str], ...] = (
    ("is_key", bool, "重点企业"),
    ("new_academician_stations", int, "近一年新认定省级以上院士工作站数"),
    ("new_postdoc_stations", int, "近一年新设省级以上博士后工作站（基地）数"),
    ("challenge_projects", int, "在实施揭榜挂帅项目数"),
    ("challenge_investment", float, "揭榜挂帅项目总投资（万元）"),
)

INPUT_VARIABLES: list[type] = []
for _name, _type, _label in TALENT_INPUTS:
    INPUT_VARIABLES.append(_input(_name, Talent, _type, _label, ENUMS.get(_name)))
for _name in NULLABLE_INTS:
    INPUT_VARIABLES.append(_input(f"{_name}_known", Talent, bool, f"{_name} 非空"))
for _name, _type, _label in ENTERPRISE_INPUTS:
    INPUT_VARIABLES.append(_input(_name, Enterprise, _type, _label))


# -- outputs: one per policy version ---------------------------------------------------------------


def _d(iso: str) -> np.datetime64:
    return np.datetime64(iso, "D")


def _in(values: object, *members: Enum) -> np.ndarray:
    out = values == members[0]
    for m in members[1:]:
        out = out + (values == m)
    return out


def _at_least(t: object, name: str, period: object, bound: int) -> np.ndarray:
    """``name >= bound`` definitely true (false when the field is null)."""
    return t(f"{name}_known", period) * (t(name, period) >= bound)


class eligible_certification(Variable):
    value_type = bool
    entity = Talent
    definition_period = DateUnit.YEAR
    label = "人才分类认定 v1"

    def formula(t, period):
        programme = t("programme", period)
        return t("has_employer", period) * (
            _in(programme, Programme.NATIONAL, Programme.PROVINCIAL, Programme.MUNICIPAL)
            + _at_least(t, "degree_level", period, 3)
            + (t("title_level", period) >= 2)
            + (t("skill_level", period) >= 4)
        )


class eligible_settling_2024(Variable):
    value_type = bool
    entity = Talent
    definition_period = DateUnit.YEAR
    label = "安家补贴（2024） v1"

    def formula(t, period):
        return (
            t("has_employer", period)
            * (t("zone_entry_date", period) >= _d("2024-06-01"))
            * _at_least(t, "degree_level", period, 2)
            * (t("years_in_zone", period) <= 2)
        )


class eligible_apartment(Variable):
    value_type = bool
    entity = Talent
    definition_period = DateUnit.YEAR
    label = "人才公寓 v1"

    def formula(t, period):
        tier, housing = t("tier", period), t("housing", period)
        certified = tier != Tier.NULL  # tier in ["A".."E"] is then true
        young_graduate = (t("age", period) <= 35) * _at_least(t, "degree_level", period, 2)
        # housing != "自有住房" is null, hence not true, when housing is null
        return (certified + young_graduate) * (housing != Housing.NULL) * (housing != Housing.OWNED)


class eligible_rent(Variable):
    value_type = bool
    entity = Talent
    definition_period = DateUnit.YEAR
    label = "租房补贴 v1"

    def formula(t, period):
        return (
            (t("age", period) <= 35)
            * _at_least(t, "degree_level", period, 1)
            * t("has_employer", period)
            * (t("housing", period) == Housing.RENTED)
            * (t("years_in_zone", period) < 3)
        )


def _living_v1(t: object, period: object) -> np.ndarray:
    return (
        _in(t("degree", period), Degree.MASTER, Degree.BACHELOR)
        * t("years_since_graduation_known", period)
        * (t("years_since_graduation", period) <= 3)
        * t("has_employer", period)
    )


class eligible_living_v1(Variable):
    value_type = bool
    entity = Talent
    definition_period = DateUnit.YEAR
    label = "青年人才生活补贴 v1"

    def formula(t, period):
        return _living_v1(t, period)


class eligible_living_v2(Variable):
    value_type = bool
    entity = Talent
    definition_period = DateUnit.YEAR
    label = "青年人才生活补贴 v2（草稿）"

    def formula(t, period):
        return (
            _living_v1(t, period)
            * (t("zone_entry_date", period) >= _d("2025-05-01"))
            * (t("years_in_zone", period) < 3)
        )


class eligible_spouse(Variable):
    value_type = bool
    entity = Talent
    definition_period = DateUnit.YEAR
    label = "配偶就业 v1"

    def formula(t, period):
        return (
            _in(t("tier", period), Tier.A, Tier.B, Tier.C)
            * t("has_spouse", period)
            * t("spouse_seeking_job", period)
        )


class eligible_schooling(Variable):
    value_type = bool
    entity = Talent
    definition_period = DateUnit.YEAR
    label = "子女入学 v1"

    def formula(t, period):
        return _in(t("tier", period), Tier.A, Tier.B, Tier.C, Tier.D) * (t("children_under_18", period) > 0)


class eligible_medical(Variable):
    value_type = bool
    entity = Talent
    definition_period = DateUnit.YEAR
    label = "医疗保健 v1"

    def formula(t, period):
        return _in(t("tier", period), Tier.A, Tier.B, Tier.C)


class eligible_skills(Variable):
    value_type = bool
    entity = Talent
    definition_period = DateUnit.YEAR
    label = "技能人才 v1（草稿）"

    def formula(t, period):
        return t("has_employer", period) * (t("skill_level", period) >= 3)


class eligible_settling_2021(Variable):
    value_type = bool
    entity = Talent
    definition_period = DateUnit.YEAR
    label = "安家补贴（2021，已停用） v1"

    def formula(t, period):
        entry = t("zone_entry_date", period)
        return (
            _in(t("degree", period), Degree.DOCTOR, Degree.MASTER)
            * t("has_employer", period)
            * (entry >= _d("2021-01-12"))
            * (entry <= _d("2023-12-31"))
        )


class eligible_platform_reward(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "创新平台建设奖励 v1"

    def formula(e, period):
        return (e("new_academician_stations", period) + e("new_postdoc_stations", period)) >= 1


class eligible_challenge(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "揭榜挂帅 v1"

    def formula(e, period):
        return (
            e("is_key", period)
            * (e("challenge_projects", period) >= 1)
            * (e("challenge_investment", period) > 0)
        )


OUTPUT_VARIABLES: list[type] = [
    eligible_certification,
    eligible_settling_2024,
    eligible_apartment,
    eligible_rent,
    eligible_living_v1,
    eligible_living_v2,
    eligible_spouse,
    eligible_schooling,
    eligible_medical,
    eligible_skills,
    eligible_settling_2021,
    eligible_platform_reward,
    eligible_challenge,
]


class TalentParkPolicies(TaxBenefitSystem):
    def __init__(self) -> None:
        super().__init__([Talent, Enterprise])
        for variable in (*INPUT_VARIABLES, *OUTPUT_VARIABLES):
            self.add_variable(variable)


def variable_of(key: str) -> str:
    """The output variable of a policy key of ``bench/policy_bench.py``."""
    return f"eligible_{key}"
