"""What the one search box indexes of recruiting: positions (岗位) and personnel demands (人才需求).

Both copy their enterprise's names and industry-chain facets, so they follow its changes.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from talentpark.core.codes import Degree
from talentpark.core.search.documents import Document, SearchKind, register_facet_labels, register_kind
from talentpark.recruitment.models import PersonnelDemand, Position
from talentpark.registry.search_documents import chain_roles_prefetch, employer_facets, enterprise_names


def position_document(p: Position) -> Document:
    degree = Degree(p.min_degree).label if p.min_degree in Degree.values else ""
    return Document(
        zone_id=p.zone_id,
        object_id=p.pk,
        title=p.title,
        summary=" · ".join(
            x
            for x in (
                p.enterprise.name,
                f"{degree}及以上" if degree else "",
                p.major,
                f"月薪{p.salary_min}–{p.salary_max}元",
                p.get_status_display(),
            )
            if x
        ),
        texts=[
            *enterprise_names(p.enterprise),
            p.get_category_display(),
            degree,
            p.major,
            p.get_status_display(),
            p.description[:300],
        ],
        degree=p.min_degree,
        category=p.category,
        year=p.published_on.year if p.published_on else None,
        **employer_facets(p.enterprise),
    )


def demand_document(d: PersonnelDemand) -> Document:
    degree = Degree(d.min_degree).label if d.min_degree in Degree.values else ""
    return Document(
        zone_id=d.zone_id,
        object_id=d.pk,
        title=d.title,
        summary=" · ".join(
            x
            for x in (
                d.enterprise.name,
                f"{degree}及以上" if degree else "",
                d.major,
                d.get_urgency_display(),
            )
            if x
        ),
        texts=[
            *enterprise_names(d.enterprise),
            degree,
            d.major,
            d.get_urgency_display(),
            d.get_status_display(),
            d.note,
        ],
        degree=d.min_degree,
        year=d.reported_on.year if d.reported_on else None,
        **employer_facets(d.enterprise),
    )


register_kind(
    SearchKind(
        kind="position",
        model=Position,
        label=gettext_noop("岗位"),
        url_name="recruitment:position_detail",
        queryset=lambda: Position.objects.select_related("enterprise").prefetch_related(
            chain_roles_prefetch("enterprise__")
        ),
        build=position_document,
        follows={"enterprise": "enterprise_id"},
        order=60,
    )
)
register_kind(
    SearchKind(
        kind="demand",
        model=PersonnelDemand,
        label=gettext_noop("人才需求"),
        url_name="recruitment:demand_detail",
        queryset=lambda: PersonnelDemand.objects.select_related("enterprise").prefetch_related(
            chain_roles_prefetch("enterprise__")
        ),
        build=demand_document,
        follows={"enterprise": "enterprise_id"},
        order=70,
    )
)
register_facet_labels("category", {f"position.{v}": str(label) for v, label in Position.Category.choices})
