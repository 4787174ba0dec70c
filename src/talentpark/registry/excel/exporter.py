"""The registries' list exports, in their import format.

Exporting 人才库, 企业库, 平台库 or 项目库 gives the import workbook of that registry —
same sheet, headers, drop-downs and 说明 — filled with the listed records, so an
exported file can be corrected and imported again (with personal data unmasked: a
masked ID number cannot be imported). Registered with :func:`core.export.register_export`
when this module is imported (by ``registry/exports.py``, which ``core.export`` discovers).

The workbook is streamed (:func:`core.export.stream_xlsx`): the data sheet row by row as the
records are read, then 说明 and 代码表. Rows are read with only the relations the row
functions follow (not the list page's), educations prefetched per chunk of the iterator.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import models
from django.db.models import Prefetch

from talentpark.core.codes import Degree, ProfessionalTitle, ProgrammeLevel, Sex, SkillLevel
from talentpark.core.export import ExportSpec, XlsxBook, register_export
from talentpark.core.listing import Listing
from talentpark.registry.excel.columns import ENTERPRISES, PLATFORMS, PROJECTS, TALENTS, SheetSpec
from talentpark.registry.excel.template import RegistryWorkbook
from talentpark.registry.models import Education, Enterprise, Platform, Project, Talent


def _label(choices: type[models.TextChoices], code: Any) -> str | None:
    if code is None:
        return None
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _coded(code: Any, name: Any) -> str | None:
    return f"{code} {name}" if code else None


def _enterprise(e: Enterprise | None) -> str | None:
    return f"{e.uscc} {e.name}" if e is not None else None


def _highest_education(talent: Talent) -> Education | None:
    degree = talent.person.highest_degree
    matching = [e for e in talent.person.educations.all() if e.degree == degree]
    if not matching:
        return None
    return max(matching, key=lambda e: (e.graduated_on is not None, e.graduated_on, e.pk))


def talent_row(t: Talent) -> list[Any]:
    p = t.person
    edu = _highest_education(t)
    return [
        p.name,
        p.id_number,
        p.phone,
        _label(Sex, p.sex),
        p.birth_date,
        _label(Degree, p.highest_degree) if p.highest_degree else None,
        edu.university.name if edu else None,
        edu.major if edu else None,
        edu.graduated_on if edu else None,
        _enterprise(t.employer),
        t.position_title,
        _label(ProfessionalTitle, t.professional_title),
        t.title_discipline,
        _label(SkillLevel, t.skill_level),
        t.skill_occupation,
        _label(ProgrammeLevel, t.programme_level or ""),
        t.programme_name,
        _label(Talent.Housing, t.housing),
        t.zone_entry_date,
        _coded(p.hukou_division_id, p.hukou_division.name if p.hukou_division else ""),
        _yes(p.hukou_in_zone),
        _yes(p.is_returnee),
        p.returnee_country,
        p.email,
    ]


def enterprise_row(e: Enterprise) -> list[Any]:
    return [
        e.name,
        e.short_name,
        e.uscc,
        _coded(e.division_id, e.division.name),
        _coded(e.industry_id, e.industry.name),
        _label(Enterprise.Scale, e.scale),
        e.founded_on,
        e.registered_capital,
        e.employee_count,
        _yes(e.is_key),
        _yes(e.is_high_tech),
        e.address,
        e.contact_name,
        e.contact_phone,
        e.description,
    ]


def platform_row(p: Platform) -> list[Any]:
    return [
        p.name,
        _label(Platform.Kind, p.kind),
        _label(Platform.Level, p.level),
        _enterprise(p.enterprise),
        p.host_organisation,
        p.chain.name if p.chain else None,
        p.approved_on,
        p.approved_by,
        p.description,
    ]


def project_row(p: Project) -> list[Any]:
    return [
        p.name,
        _label(Project.Kind, p.kind),
        _label(Project.Status, p.status),
        _enterprise(p.enterprise),
        p.chain.name if p.chain else None,
        p.investment,
        p.started_on,
        p.description,
    ]


def _factory(
    spec: SheetSpec,
    row: Callable[[Any], Sequence[Any]],
    pii: Sequence[str],
    prepare: Callable[[models.QuerySet[Any]], models.QuerySet[Any]],
) -> Callable[[Listing, Any], ExportSpec]:
    def make(listing: Listing, user: Any) -> ExportSpec:
        return ExportSpec(
            sheet=spec.sheet,
            headers=[c.title for c in spec.columns],
            row=row,
            pii_fields=pii,
            prepare=prepare,
            xlsx_book=lambda who: registry_book(spec, getattr(who, "zone", None)),
        )

    return make


def registry_book(spec: SheetSpec, zone: Any) -> XlsxBook:
    """The import-format workbook (drop-downs, 说明, 代码表) with its data sheet streamed."""
    wb = RegistryWorkbook(spec, zone, spec.columns)

    def finish() -> None:  # what RegistryWorkbook.save adds after the data sheet
        wb._guide()
        wb._lists_sheet()

    return XlsxBook(book=wb.book, sheet=wb.ws, header=wb.header, row=wb.row, finish=finish)


def _talents(qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    # select_related(None): the list page's joins (zone, specialist) are not exported.
    return (
        qs.select_related(None)
        .select_related("person__hukou_division", "employer")
        .prefetch_related(
            Prefetch("person__educations", queryset=Education.objects.select_related("university"))
        )
    )


register_export("registry:talent", _factory(TALENTS, talent_row, ("id_number", "phone"), _talents))
register_export(
    "registry:enterprise",
    _factory(
        ENTERPRISES,
        enterprise_row,
        ("contact_phone",),
        lambda qs: qs.select_related(None).select_related("division", "industry"),
    ),
)
register_export(
    "registry:platform",
    _factory(
        PLATFORMS, platform_row, (), lambda qs: qs.select_related(None).select_related("enterprise", "chain")
    ),
)
register_export(
    "registry:project",
    _factory(
        PROJECTS, project_row, (), lambda qs: qs.select_related(None).select_related("enterprise", "chain")
    ),
)
