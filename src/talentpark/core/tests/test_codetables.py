"""The national code tables are complete: GB/T 2260 with its history, all of GB/T 4754-2017,
and the office spellings of the small tables (CodeSynonym)."""

from __future__ import annotations

import importlib
import io
import itertools
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from talentpark.core import codetables, synonyms
from talentpark.core.codes import DEFAULT_SYNONYMS, Degree, ProfessionalTitle, Sex
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog, CodeSynonym, Division, Industry, Zone

pytestmark = pytest.mark.django_db


# -- GB/T 4754-2017 ---------------------------------------------------------------------


def test_every_industry_class_of_gb4754_2017_is_loaded():
    levels = Counter(Industry.objects.values_list("level", flat=True))
    assert levels == {"section": 20, "division": 97, "group": 473, "class": 1382}


def test_industry_codes_keep_their_stored_form_and_chain_up_to_a_section():
    by_code = {i.code: i for i in Industry.objects.all()}
    samples = {
        "0111": "稻谷种植",
        "3911": "计算机整机制造",
        "6513": "应用软件开发",
        "7320": "工程和技术研究和试验发展",
        "9700": "国际组织",
    }
    for code, name in samples.items():
        assert by_code[code].name == name
    for row in by_code.values():
        expected = {"section": 1, "division": 2, "group": 3, "class": 4}[row.level]
        assert len(row.code) == expected
        chain = [row]
        while chain[-1].parent_id is not None:
            chain.append(by_code[chain[-1].parent_id])
        assert [r.level for r in chain][-1] == "section"
        assert all(child.code.startswith(parent.code) for child, parent in itertools.pairwise(chain[:-1]))


def test_the_industry_file_has_unique_codes_and_parents_that_exist():
    rows = codetables.read("industries_gb4754_2017.json")
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    assert all(r["parent"] is None or r["parent"] in set(codes) for r in rows)


# -- GB/T 2260 --------------------------------------------------------------------------


def test_every_code_of_stdnums_history_is_a_division_with_its_years():
    history = codetables.division_history()
    assert len(history) > 6000  # 1980 to today, current and abolished
    assert set(Division.objects.values_list("code", flat=True)) >= set(history)
    chongwen = Division.objects.get(code="110103")  # 崇文区, merged into 东城区 in 2010
    assert (chongwen.is_current, chongwen.valid_to) == (False, 2010)
    xihu = Division.objects.get(code="330106")  # a county the old hand-made subset lacked
    assert xihu.is_current and xihu.parent_id == "330100" and xihu.level == "county"
    renamed = Division.objects.get(code="370811")  # 郊区 1983-1992, then 任城区
    assert (renamed.name, renamed.valid_from, renamed.valid_to) == ("任城区", 1983, None)


def test_our_disambiguated_names_of_abolished_codes_win():
    assert Division.objects.get(code="370802").name == "济宁市市中区"


def test_history_is_read_from_the_installed_stdnum_package():
    from importlib import resources

    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    parsed = codetables._parse_loc_dat(text)
    assert parsed["110103"][-1].end == 2010
    # "[-1991]东郊区,[1992-]东丽区": two names of one code, each with its years
    assert [(p.name, p.start, p.end) for p in parsed["120110"]] == [
        ("东郊区", None, 1991),
        ("东丽区", 1992, None),
    ]
    assert codetables.division_valid_in("120110", 1990) is True
    assert codetables.division_valid_in("110103", 2011) is False
    assert codetables.division_valid_in("110199", 2000) is None


def test_the_load_command_repairs_drift_and_then_changes_nothing():
    Division.objects.filter(code="330106").update(name="改错的名字", valid_from=1900)
    Industry.objects.filter(code="6513").update(name="改错的名字")
    out = io.StringIO()
    call_command("load_code_tables", stdout=out)
    assert Division.objects.get(code="330106").name == "西湖区"
    assert Industry.objects.get(code="6513").name == "应用软件开发"
    out = io.StringIO()
    call_command("load_code_tables", stdout=out)
    assert "divisions 0, industries 0" in out.getvalue()


# -- synonyms ---------------------------------------------------------------------------


def test_the_migration_seeds_the_national_defaults_and_they_match_the_code():
    seed = importlib.import_module("talentpark.core.migrations.0005_full_code_tables_and_synonyms").SEED
    assert seed == {t: {k: str(v) for k, v in s.items()} for t, s in DEFAULT_SYNONYMS.items()}
    national = set(CodeSynonym.objects.filter(zone__isnull=True).values_list("table", "spelling", "code"))
    assert ("sex", "男性", "M") in national
    assert ("degree", "大学本科", "21") in national
    assert len(national) == sum(len(s) for s in seed.values())


@pytest.mark.parametrize(
    ("table", "spelling", "code"),
    [
        ("sex", "男性", Sex.MALE),
        ("sex", " 女 性 ", Sex.FEMALE),
        ("degree", "大学本科", Degree.BENKE),
        ("degree", "硕士研究生", Degree.SHUOSHI),  # the label itself
        ("degree", "研究生", Degree.SHUOSHI),
        ("degree", "１４", Degree.SHUOSHI),  # the code, full-width
        ("title", "高级工程师", ProfessionalTitle.VICE_SENIOR),
    ],
)
def test_office_spellings_resolve_to_codes(table, spelling, code):
    assert synonyms.resolve(table, spelling, synonyms.synonyms_for(table)) == code


def test_unknown_spellings_resolve_to_nothing():
    assert synonyms.resolve("degree", "小学", synonyms.synonyms_for("degree")) is None


def _zone(code: str) -> Zone:
    return Zone.objects.create(code=code, name=code, division_id="370800")


def test_a_zone_extends_the_list_for_itself_only_with_an_audit_row():
    mine, other = _zone("mine"), _zone("other")
    ctx = ActionContext.system(zone_id=mine.pk)
    row = synonyms.add_synonym(ctx, mine, "degree", "全日制本科", Degree.BENKE)
    assert AuditLog.objects.filter(action="core.synonym.add", object_id=str(row.pk), zone_id=mine.pk).exists()
    assert synonyms.resolve("degree", "全日制本科", synonyms.synonyms_for("degree", mine.pk)) == Degree.BENKE
    assert synonyms.resolve("degree", "全日制本科", synonyms.synonyms_for("degree", other.pk)) is None
    assert synonyms.resolve("degree", "全日制本科", synonyms.synonyms_for("degree")) is None


def test_a_zone_row_wins_over_the_national_default():
    mine = _zone("mine")
    synonyms.add_synonym(ActionContext.system(), mine, "degree", "研究生", Degree.BOSHI)
    assert synonyms.all_synonyms(mine.pk)["degree"]["研究生"] == Degree.BOSHI
    assert synonyms.all_synonyms(None)["degree"]["研究生"] == Degree.SHUOSHI


def test_the_defaults_still_apply_when_the_table_was_emptied():
    CodeSynonym.objects.all().delete()
    assert synonyms.synonyms_for("sex")["男性"] == Sex.MALE


@pytest.mark.parametrize(
    ("table", "spelling", "code", "field", "reason"),
    [
        ("degree", "", "21", "spelling", "写法：不能为空"),
        ("degree", "全日制", "99", "code", "代码："),
        ("degree", "本科", "21", "spelling", "已是该代码表的代码或名称"),
        ("colour", "红", "1", "table", "代码表："),
    ],
)
def test_bad_synonyms_are_refused_with_a_chinese_reason_and_nothing_saved(
    table, spelling, code, field, reason
):
    before = CodeSynonym.objects.count(), AuditLog.objects.count()
    with pytest.raises(ValidationError) as exc:
        synonyms.add_synonym(ActionContext.system(), None, table, spelling, code)
    assert reason in exc.value.message_dict[field][0]
    assert (CodeSynonym.objects.count(), AuditLog.objects.count()) == before


def test_the_same_spelling_twice_is_refused():
    mine = _zone("mine")
    synonyms.add_synonym(ActionContext.system(), mine, "sex", "男生", Sex.MALE)
    with pytest.raises(ValidationError, match="已设置"):
        synonyms.add_synonym(ActionContext.system(), mine, "sex", "男 生", Sex.FEMALE)


def test_changing_and_removing_a_synonym_are_audited():
    mine = _zone("mine")
    row = synonyms.add_synonym(ActionContext.system(), mine, "title", "高工", ProfessionalTitle.MIDDLE)
    synonyms.change_synonym(ActionContext.system(), row, ProfessionalTitle.VICE_SENIOR)
    assert synonyms.synonyms_for("title", mine.pk)["高工"] == ProfessionalTitle.VICE_SENIOR
    synonyms.remove_synonym(ActionContext.system(), row)
    assert "高工" not in synonyms.synonyms_for("title", mine.pk)
    actions = list(AuditLog.objects.filter(object_id=str(row.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["core.synonym.add", "core.synonym.change", "core.synonym.remove"]
