"""Benchmark: importing a 35,000-row talent workbook — our importer vs django-import-export.

Usage:
    .venv/bin/python bench/import_bench.py [--rows 35000] [--pg] [--skip-iex]

What it does, each contender in a fresh scratch database (SQLite in a new ``var/``; with
``--pg`` also PostgreSQL at 127.0.0.1:5432, database ``tp_excel_bench``, recreated):

1. ``migrate`` (code tables: GB/T 2260 divisions, GB/T 4754 industries, universities);
   one zone, its office user and 700 enterprises with valid credit codes (fixed seed);
2. a workbook of ``--rows`` synthetic talents in the import template's layout: valid
   resident ID numbers (GB 11643 checksum; birthplaces from the division table), unique
   mobile numbers, Chinese names, degrees and universities from the code tables,
   employers as "credit code + name", entry dates in the five accepted spellings
   (date cells, 2021-03-01, 2021/3/1, 2021年3月1日, 20210301). The same file (same bytes)
   is given to both contenders;
3. **ours**: ``start_import`` (safe open + validation + preview counts) and
   ``request_commit`` (validation again + one-transaction bulk write + audit row), run
   in-process without the web layer; then the same file again (all rows unchanged);
   then a 35,000-row export of the imported talents (.xlsx, unmasked) and (.csv);
4. **django-import-export** 4.x: a ``ModelResource`` for ``Talent`` as a Django shop
   would write it — choice labels mapped by widgets, the employer by a
   ``ForeignKeyWidget`` on the credit code, the person found or created (blind-index
   look-up, ID number checked) in ``before_import_row``, the education row in
   ``after_save_instance`` — ``import_data(dry_run=True)`` to validate, then
   ``import_data(dry_run=False)`` to write, ``use_transactions=True``.

Prints a Markdown table of wall times (seconds) and peak RSS of each run's process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TALENTPARK = Path(sys.executable).with_name("talentpark")
PG_URL = "postgres://postgres@127.0.0.1:5432/tp_excel_bench"
SEED = 20261122
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏浩宇晨欣怡博文思远志"
DEGREES = ["专科", "本科", "本科", "本科", "硕士研究生", "硕士研究生", "博士研究生"]
TITLES = ["无", "无", "初级", "中级", "中级", "副高级", "正高级"]
SKILLS = ["无", "无", "无", "五级/初级工", "四级/中级工", "三级/高级工", "二级/技师"]
HOUSING = ["自有住房", "租房", "人才公寓", "单位宿舍"]
MAJORS = ["机械工程", "材料科学与工程", "计算机科学与技术", "电气工程及其自动化", "药学", "化学工程与工艺"]


# -- setup shared by both contenders (runs inside a Django process) -------------------------


def _setup_zone(enterprises: int = 700) -> tuple[object, object, list[tuple[str, str]]]:
    from talentpark.accounts.models import Department, User
    from talentpark.core.models import Division, Industry, Zone
    from talentpark.core.validators import org_code_check_char, uscc_check_char
    from talentpark.registry.models import Enterprise

    zone = Zone.objects.create(code="bench", name="基准高新区", short_name="基准区", division_id="370800")
    dept = Department.objects.create(zone=zone, name="人才办", kind=Department.Kind.OFFICE)
    user = User.objects.create(username="bench_office", role="office", zone=zone, department=dept)
    industries = list(Industry.objects.filter(level="class").values_list("code", flat=True)[:50])
    assert Division.objects.filter(code="370811").exists()
    rows = []
    for i in range(enterprises):
        org = f"{i + 1:08d}"
        body = f"91370811{org}{org_code_check_char(org)}"
        rows.append(
            Enterprise(
                zone=zone,
                name=f"济宁基准装备制造有限公司{i:03d}",
                uscc=body + uscc_check_char(body),
                division_id="370811",
                industry_id=industries[i % len(industries)],
            )
        )
    Enterprise.objects.bulk_create(rows)
    return zone, user, [(e.uscc, e.name) for e in rows]


def _id_numbers(n: int, rng: random.Random) -> list[str]:
    from talentpark.core.models import Division
    from talentpark.core.validators import id_check_char

    divisions = list(
        Division.objects.filter(level="county", is_current=True, code__startswith="37").values_list(
            "code", flat=True
        )
    )
    seen: set[str] = set()
    out = []
    while len(out) < n:
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(12_500))
        body = f"{rng.choice(divisions)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        number = body + id_check_char(body)
        if number not in seen:
            seen.add(number)
            out.append(number)
    return out


def generate(path: Path, rows: int) -> None:
    """Write the benchmark workbook (run in a scratch Django process)."""
    from openpyxl import Workbook

    from talentpark.registry.excel.columns import TALENTS
    from talentpark.registry.models import University

    rng = random.Random(SEED)
    _zone, _user, enterprises = _setup_zone()
    universities = list(University.objects.filter(is_foreign=False).values_list("name", flat=True)[:400])
    numbers = _id_numbers(rows, rng)
    book = Workbook(write_only=True)
    ws = book.create_sheet(TALENTS.sheet)
    ws.append([c.title for c in TALENTS.columns])
    for i, number in enumerate(numbers):
        entry = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(6000))
        spelling = i % 10
        entry_cell: object = (
            entry
            if spelling < 5
            else entry.isoformat()
            if spelling < 7
            else f"{entry.year}/{entry.month}/{entry.day}"
            if spelling == 7
            else f"{entry.year}年{entry.month}月{entry.day}日"
            if spelling == 8
            else f"{entry:%Y%m%d}"
        )
        uscc, ename = enterprises[rng.randrange(len(enterprises))]
        degree = rng.choice(DEGREES)
        grad = dt.date(1990, 6, 30) + dt.timedelta(days=365 * rng.randrange(30))
        ws.append(
            [
                rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                number,
                f"1{3 + i % 7}{i:09d}",
                "男" if int(number[16]) % 2 else "女",
                None,
                degree,
                rng.choice(universities),
                rng.choice(MAJORS),
                min(grad, entry).isoformat(),
                f"{uscc} {ename}" if rng.random() < 0.9 else None,
                "工程师",
                rng.choice(TITLES),
                None,
                rng.choice(SKILLS),
                None,
                "无",
                None,
                rng.choice(HOUSING),
                entry_cell,
                number[:6],
                "否",
                "否",
                None,
                None,
            ]
        )
    book.save(path)


# -- the contenders ----------------------------------------------------------------------


def run_ours(path: Path) -> dict[str, float | int]:
    from django.conf import settings

    from talentpark.core.context import ActionContext
    from talentpark.core.export import build_xlsx, spec_for
    from talentpark.registry.excel import importer
    from talentpark.registry.models import ImportJob, Talent
    from talentpark.registry.pages import TALENTS

    settings.TALENTPARK_IMPORT_SYNC_BYTES = 2**40  # run in this process, not a thread
    settings.TALENTPARK_IMPORT_MAX_BYTES = 2**30
    zone, user, _ = _setup_zone()
    reindex_seconds = [0.0]
    original_reindex = importer._reindex

    def timed_reindex(model: type, pks: list[int]) -> None:  # the search index's share of the commit
        started = time.perf_counter()
        original_reindex(model, pks)
        reindex_seconds[0] += time.perf_counter() - started

    importer._reindex = timed_reindex  # type: ignore[assignment]
    ctx = ActionContext(user=user, role="office", zone_id=zone.pk, reason="基准测试")  # type: ignore[arg-type,attr-defined]
    data = path.read_bytes()
    out: dict[str, float | int] = {}

    t0 = time.perf_counter()
    job = importer.start_import(ctx, zone, "talent", path.name, data)  # type: ignore[arg-type]
    t1 = time.perf_counter()
    assert job.status == ImportJob.Status.READY, (job.status, job.message, job.problems[:5])
    job = importer.request_commit(ctx, job)
    t2 = time.perf_counter()
    assert job.status == ImportJob.Status.DONE, job.message
    out.update(
        validate=t1 - t0, commit=t2 - t1, total=t2 - t0, talents=Talent.objects.filter(zone=zone).count()
    )
    out["reindex"] = reindex_seconds[0]

    t0 = time.perf_counter()
    again = importer.start_import(ctx, zone, "talent", path.name, data)  # type: ignore[arg-type]
    again = importer.request_commit(ctx, again)
    out["reimport_unchanged"] = time.perf_counter() - t0
    assert again.counts["unchanged"] == out["talents"], again.counts

    spec = spec_for(TALENTS, user)
    qs = TALENTS.queryset(user)
    qs = spec.prepare(qs) if spec.prepare else qs
    t0 = time.perf_counter()
    build_xlsx(qs, spec, True, user).close()
    out["export_xlsx"] = time.perf_counter() - t0
    from talentpark.core.export import _csv_chunks

    t0 = time.perf_counter()
    size = sum(len(chunk) for chunk in _csv_chunks(qs, spec, True))
    out["export_csv"] = time.perf_counter() - t0
    out["csv_mb"] = round(size / 2**20, 1)
    return out


def run_iex(path: Path) -> dict[str, float | int]:
    import tablib
    from import_export import fields, resources, widgets

    from talentpark.core.codes import Degree, ProfessionalTitle, ProgrammeLevel, SkillLevel
    from talentpark.core.crypto import blind_index
    from talentpark.core.validators import parse_resident_id, validate_mobile
    from talentpark.registry.models import Education, Enterprise, Person, Talent, University

    zone, _user, _ = _setup_zone()

    class Labels(widgets.Widget):  # type: ignore[misc]
        def __init__(self, choices: object, default: str = "") -> None:
            super().__init__()
            self.codes = {str(label): str(code) for code, label in choices.choices}  # type: ignore[attr-defined]
            self.default = default

        def clean(self, value: object, row: object = None, **kwargs: object) -> str:
            if value in (None, ""):
                return self.default
            if str(value) not in self.codes:
                raise ValueError(f"“{value}”不是有效选项")
            return self.codes[str(value)]

    class Dates(widgets.DateWidget):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.formats = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d", "%Y-%m-%d %H:%M:%S")

        def clean(self, value: object, row: object = None, **kwargs: object) -> object:
            if isinstance(value, dt.datetime):
                return value.date()
            return super().clean(str(value) if value is not None else value, row, **kwargs)

    class Employer(widgets.ForeignKeyWidget):  # type: ignore[misc]
        def clean(self, value: object, row: object = None, **kwargs: object) -> object:
            return super().clean(str(value)[:18] if value else None, row, **kwargs)

        def get_queryset(self, value: object, row: object, *args: object, **kwargs: object) -> object:
            return Enterprise.objects.filter(zone=zone)

    class TalentResource(resources.ModelResource):  # type: ignore[misc]
        zone = fields.Field(attribute="zone_id", column_name="zone")
        person = fields.Field(
            attribute="person", column_name="person", widget=widgets.ForeignKeyWidget(Person)
        )
        employer = fields.Field(
            attribute="employer",
            column_name="工作单位（统一社会信用代码）",
            widget=Employer(Enterprise, field="uscc"),
        )
        position_title = fields.Field(attribute="position_title", column_name="职务/岗位")
        zone_entry_date = fields.Field(attribute="zone_entry_date", column_name="入区时间*", widget=Dates())
        professional_title = fields.Field(
            attribute="professional_title", column_name="专业技术职称", widget=Labels(ProfessionalTitle, "0")
        )
        skill_level = fields.Field(
            attribute="skill_level", column_name="职业技能等级", widget=Labels(SkillLevel, "0")
        )
        programme_level = fields.Field(
            attribute="programme_level", column_name="入选人才计划", widget=Labels(ProgrammeLevel, "")
        )
        housing = fields.Field(
            attribute="housing", column_name="住房情况", widget=Labels(Talent.Housing, "rented")
        )

        class Meta:
            model = Talent
            import_id_fields = ("zone", "person")
            fields = (
                "zone",
                "person",
                "employer",
                "position_title",
                "zone_entry_date",
                "professional_title",
                "skill_level",
                "programme_level",
                "housing",
            )
            skip_unchanged = True

        def before_import(self, dataset: tablib.Dataset, **kwargs: object) -> None:
            # The key columns are filled in per row (below); import-export wants them as headers.
            for header in ("zone", "person"):
                if header not in dataset.headers:
                    dataset.append_col([None] * dataset.height, header=header)

        def before_import_row(self, row: dict[str, object], **kwargs: object) -> None:
            number = str(row["身份证号*"]).strip().upper()
            rid = parse_resident_id(number)
            phone = validate_mobile(str(row["手机号码*"]))
            person = Person.objects.filter(id_number_hash=blind_index(number, "id_number")).first()
            if person is None:
                person = Person(id_number=number, sex=rid.sex, birth_date=rid.birth_date)
            person.name = str(row["姓名*"]).strip()
            person.phone = phone
            person.highest_degree = Labels(Degree).clean(row["最高学历"])
            person.save()
            row["person"] = person.pk
            row["zone"] = zone.pk  # type: ignore[attr-defined]

        def after_save_instance(self, instance: Talent, row: dict[str, object], **kwargs: object) -> None:
            if kwargs.get("dry_run") or not row.get("毕业院校"):
                return
            university = University.objects.get(name=row["毕业院校"])
            Education.objects.get_or_create(
                person_id=instance.person_id,
                degree=Labels(Degree).clean(row["最高学历"]),
                university=university,
                defaults={
                    "major": row.get("所学专业") or "",
                    "graduated_on": Dates().clean(row.get("毕业时间")),
                },
            )

    out: dict[str, float | int] = {}
    t0 = time.perf_counter()
    dataset = tablib.Dataset().load(path.read_bytes(), format="xlsx")
    resource_ = TalentResource()
    dry = resource_.import_data(dataset, dry_run=True, use_transactions=True)
    t1 = time.perf_counter()
    assert not dry.has_errors() and not dry.has_validation_errors(), (
        dry.invalid_rows[:3],
        dry.base_errors[:1],
    )
    dataset = tablib.Dataset().load(path.read_bytes(), format="xlsx")
    result = TalentResource().import_data(dataset, dry_run=False, use_transactions=True)
    t2 = time.perf_counter()
    assert not result.has_errors()
    out.update(
        validate=t1 - t0, commit=t2 - t1, total=t2 - t0, talents=Talent.objects.filter(zone=zone).count()
    )
    return out


# -- orchestration -------------------------------------------------------------------------


def _env(var: str, database_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "TALENTPARK_VAR": var,
        "TALENTPARK_FAST_HASHER": "1",
        "TALENTPARK_LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _fresh_pg() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS tp_excel_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE tp_excel_bench")


def _child(step: str, path: Path, database_url: str | None, rows: int) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory(prefix="tp-excel-bench-") as var:
        if database_url:
            _fresh_pg()
        env = _env(var, database_url)
        subprocess.run([str(TALENTPARK), "migrate", "-v0"], env=env, check=True)  # noqa: S603 (our own CLI)
        out = subprocess.run(  # noqa: S603 (this script)
            [sys.executable, __file__, "--child", step, "--file", str(path), "--rows", str(rows)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    result: dict[str, float | int] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def child(step: str, path: Path, rows: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpark.settings")
    import django

    django.setup()
    if step == "generate":
        generate(path, rows)
        result: dict[str, float | int] = {"bytes": path.stat().st_size}
    else:
        result = run_ours(path) if step == "ours" else run_iex(path)
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=35_000)
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL (tp_excel_bench)")
    parser.add_argument("--skip-iex", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.file), args.rows)
        return
    with tempfile.TemporaryDirectory(prefix="tp-excel-file-") as tmp:
        path = Path(tmp) / "人才导入基准.xlsx"
        info = _child("generate", path, None, args.rows)
        print(f"workbook: {args.rows} rows, {info['bytes'] / 2**20:.1f} MiB", flush=True)
        backends = [("SQLite", None)] + ([("PostgreSQL", PG_URL)] if args.pg else [])
        print(
            "| database | importer | validate (s) | commit (s) | validate + commit (s) | talents | peak RSS (MiB) |"
        )
        print("|---|---|---|---|---|---|---|")
        for name, url in backends:
            ours = _child("ours", path, url, args.rows)
            print(
                f"| {name} | ours | {ours['validate']:.1f} | {ours['commit']:.1f} "
                f"(of which search reindex {ours['reindex']:.1f}) | **{ours['total']:.1f}** | "
                f"{ours['talents']} | {ours['peak_rss_mib']} |",
                flush=True,
            )
            if not args.skip_iex:
                iex = _child("iex", path, url, args.rows)
                print(
                    f"| {name} | django-import-export | {iex['validate']:.1f} | {iex['commit']:.1f} | "
                    f"**{iex['total']:.1f}** | {iex['talents']} | {iex['peak_rss_mib']} |",
                    flush=True,
                )
                print(
                    f"| {name} | ratio (import-export ÷ ours) | | | **{iex['total'] / ours['total']:.1f}×** | | |"
                )
            print(
                f"| {name} | ours, same file again (all unchanged) | | | {ours['reimport_unchanged']:.1f} | | |",
                flush=True,
            )
            print(
                f"| {name} | export of the {ours['talents']} talents, unmasked | .xlsx {ours['export_xlsx']:.1f} | "
                f".csv {ours['export_csv']:.1f} ({ours['csv_mb']} MiB) | | | |",
                flush=True,
            )


if __name__ == "__main__":
    main()
