"""What the one search box indexes of the registry (一网四库): talents, enterprises, platforms, projects.

A talent's document holds her name (and its pinyin), employer, position, degree, titles,
majors and universities — never her ID number, phone, e-mail, birth date or family. The
registry also feeds the segmentation dictionary (enterprise names and short names, chain
and segment names, platform kinds) and the labels of the chain, role and tier facets.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_noop

from talentpark.core.codes import Degree, ProfessionalTitle, ProgrammeLevel, SkillLevel
from talentpark.core.search.documents import (
    Document,
    SearchKind,
    TimedLabels,
    register_facet_labels,
    register_kind,
)
from talentpark.core.search.segmenter import register_dictionary_source
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


def _label(choices: Any, value: str) -> str:
    """The Chinese label of a coded value ("" for empty or "none" codes)."""
    if not value or value in (ProfessionalTitle.NONE, SkillLevel.NONE):
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return ""


def _join(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


# Prefetches into plain lists (``to_attr``): reading them costs nothing, while calling
# ``.all()`` on a prefetched relation builds a new QuerySet per record.
CHAIN_ROLES = "search_chain_roles"
EDUCATIONS = "search_educations"


def chain_roles_prefetch(path: str = "", *, with_names: bool = False) -> Prefetch:
    qs = EnterpriseChainRole.objects.order_by("chain_id")
    if with_names:
        qs = qs.select_related("chain", "segment")
    return Prefetch(f"{path}chain_roles", queryset=qs, to_attr=CHAIN_ROLES)


def chain_roles(enterprise: Enterprise) -> list[EnterpriseChainRole]:
    roles = getattr(enterprise, CHAIN_ROLES, None)
    return list(enterprise.chain_roles.order_by("chain_id")) if roles is None else roles


def employer_facets(enterprise: Enterprise | None) -> dict[str, Any]:
    """Industry, chains and chain roles of an enterprise: the facets of everything it employs or posts."""
    if enterprise is None:
        return {}
    roles = chain_roles(enterprise)
    return {
        "industry": enterprise.industry_id or "",
        "chains": [r.chain_id for r in roles],
        "roles": [r.role for r in roles],
    }


def enterprise_names(enterprise: Enterprise | None) -> list[str]:
    if enterprise is None:
        return []
    return [enterprise.name, enterprise.short_name]


# -- talents ---------------------------------------------------------------------------

# What a talent's document reads (``only``: skips the encrypted, date-time and audit columns).
TALENT_FIELDS = (
    "zone_id",
    "employer_id",
    "position_title",
    "zone_entry_date",
    "professional_title",
    "title_discipline",
    "skill_level",
    "skill_occupation",
    "programme_level",
    "programme_name",
    "tier",
    "person__name",
    "person__name_pinyin",
    "person__highest_degree",
    "person__is_returnee",
    "person__returnee_country",
    "employer__name",
    "employer__short_name",
    "employer__industry_id",
)


def talent_document(t: Talent) -> Document:
    person = t.person
    educations = getattr(person, EDUCATIONS, None)
    if educations is None:
        educations = list(person.educations.select_related("university").order_by("graduated_on", "pk"))
    degree = _label(Degree, person.highest_degree)
    title = _label(ProfessionalTitle, t.professional_title)
    employer = t.employer
    texts = [
        *enterprise_names(employer),
        t.position_title,
        degree,
        title,
        t.title_discipline,
        _label(SkillLevel, t.skill_level),
        t.skill_occupation,
        _label(ProgrammeLevel, t.programme_level),
        t.programme_name,
        _label(Talent.Tier, t.tier),
        "留学归国" if person.is_returnee else "",
        person.returnee_country,
    ]
    for edu in educations:
        texts += [edu.major, edu.university.name, _label(Degree, edu.degree)]
    majors = "、".join(dict.fromkeys(e.major for e in educations if e.major))
    return Document(
        zone_id=t.zone_id,
        object_id=t.pk,
        title=person.name,
        summary=_join(employer.name if employer else "", t.position_title, degree, majors, title),
        person=(person.name, person.name_pinyin),
        texts=texts,
        degree=person.highest_degree,
        professional_title="" if t.professional_title == ProfessionalTitle.NONE else t.professional_title,
        tier=t.tier,
        year=t.zone_entry_date.year if t.zone_entry_date else None,
        **employer_facets(employer),
    )


register_kind(
    SearchKind(
        kind="talent",
        model=Talent,
        label=gettext_noop("人才"),
        url_name="registry:talent_detail",
        queryset=lambda: (
            Talent.objects.select_related("person", "employer")
            .only(*TALENT_FIELDS)
            .prefetch_related(
                Prefetch(
                    "person__educations",
                    queryset=Education.objects.select_related("university").order_by("graduated_on", "pk"),
                    to_attr=EDUCATIONS,
                ),
                chain_roles_prefetch("employer__"),
            )
        ),
        build=talent_document,
        follows={"enterprise": "employer_id"},
        order=10,
    )
)

# -- enterprises -----------------------------------------------------------------------


def enterprise_document(e: Enterprise) -> Document:
    roles = chain_roles(e)
    chain_texts: list[str] = []
    for r in roles:
        chain_texts += [r.chain.name, r.segment.name if r.segment else "", r.get_role_display()]
    place = "、".join(f"{r.chain.name}（{r.get_role_display()}）" for r in roles)
    return Document(
        zone_id=e.zone_id,
        object_id=e.pk,
        title=e.name,
        summary=_join(e.short_name, e.industry.name if e.industry_id else "", place),
        names=[e.short_name],
        pinyin_names=[e.short_name or e.name],
        texts=[
            e.industry.name if e.industry_id else "",
            *chain_texts,
            e.get_scale_display(),
            "高新技术企业" if e.is_high_tech else "",
            "重点企业" if e.is_key else "",
            e.address,
            e.description[:500],
        ],
        terms=[e.name, e.short_name],
        industry=e.industry_id or "",
        chains=[r.chain_id for r in roles],
        roles=[r.role for r in roles],
        year=e.founded_on.year if e.founded_on else None,
    )


register_kind(
    SearchKind(
        kind="enterprise",
        model=Enterprise,
        label=gettext_noop("企业"),
        url_name="registry:enterprise_detail",
        queryset=lambda: Enterprise.objects.select_related("industry").prefetch_related(
            chain_roles_prefetch(with_names=True)
        ),
        build=enterprise_document,
        order=20,
    )
)

# -- platforms and projects ------------------------------------------------------------


def platform_document(p: Platform) -> Document:
    host = p.enterprise.name if p.enterprise else p.host_organisation
    facets = employer_facets(p.enterprise)
    facets["chains"] = [p.chain_id] if p.chain_id else facets.get("chains", [])
    facets.pop("roles", None)
    return Document(
        zone_id=p.zone_id,
        object_id=p.pk,
        title=p.name,
        summary=_join(p.get_kind_display(), p.get_level_display(), host, p.chain.name if p.chain else ""),
        texts=[
            p.get_kind_display(),
            p.get_level_display(),
            *enterprise_names(p.enterprise),
            p.host_organisation,
            p.chain.name if p.chain else "",
            p.approved_by,
            p.description[:500],
        ],
        category=p.kind,
        year=p.approved_on.year if p.approved_on else None,
        **facets,
    )


def project_document(p: Project) -> Document:
    # The leader's name is not indexed: a project is visible to roles that may not see people
    # (the province), and finding it by her name would link her to it.
    facets = employer_facets(p.enterprise)
    facets["chains"] = [p.chain_id] if p.chain_id else facets.get("chains", [])
    facets.pop("roles", None)
    return Document(
        zone_id=p.zone_id,
        object_id=p.pk,
        title=p.name,
        summary=_join(
            p.get_kind_display(),
            p.get_status_display(),
            p.enterprise.name if p.enterprise else "",
            p.chain.name if p.chain else "",
        ),
        texts=[
            p.get_kind_display(),
            p.get_status_display(),
            *enterprise_names(p.enterprise),
            p.chain.name if p.chain else "",
            p.description[:500],
        ],
        category=p.kind,
        year=p.started_on.year if p.started_on else None,
        **facets,
    )


register_kind(
    SearchKind(
        kind="platform",
        model=Platform,
        label=gettext_noop("平台"),
        url_name="registry:platform_detail",
        queryset=lambda: Platform.objects.select_related("enterprise", "chain").prefetch_related(
            chain_roles_prefetch("enterprise__")
        ),
        build=platform_document,
        follows={"enterprise": "enterprise_id"},
        order=30,
    )
)
register_kind(
    SearchKind(
        kind="project",
        model=Project,
        label=gettext_noop("项目"),
        url_name="registry:project_detail",
        queryset=lambda: Project.objects.select_related("enterprise", "chain").prefetch_related(
            chain_roles_prefetch("enterprise__")
        ),
        build=project_document,
        follows={"enterprise": "enterprise_id"},
        order=40,
    )
)

# -- dictionary and facet labels -------------------------------------------------------


@register_dictionary_source
def registry_terms() -> Iterator[str]:
    for name, short in Enterprise.objects.values_list("name", "short_name").iterator():
        yield name
        yield short
    yield from IndustryChain.objects.values_list("name", flat=True)
    yield from ChainSegment.objects.values_list("name", flat=True)
    for _, label in Platform.Kind.choices:
        yield str(label)


def _chain_names() -> dict[str, str]:
    chains = list(IndustryChain.objects.select_related("zone"))
    names = [c.name for c in chains]
    return {
        str(c.pk): c.name if names.count(c.name) == 1 else f"{c.name}（{c.zone.short_name or c.zone.name}）"
        for c in chains
    }


chain_labels = TimedLabels(_chain_names, ttl=60.0)
register_facet_labels("chain", chain_labels)
register_facet_labels("role", {str(v): str(label) for v, label in ChainRole.choices})
register_facet_labels("tier", {str(v): str(label) for v, label in Talent.Tier.choices if v})
register_facet_labels("category", {f"platform.{v}": str(label) for v, label in Platform.Kind.choices})
register_facet_labels("category", {f"project.{v}": str(label) for v, label in Project.Kind.choices})
