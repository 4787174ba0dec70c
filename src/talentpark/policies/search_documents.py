"""What the one search box indexes of the policy library (政策库), and the policy key terms
it adds to the segmentation dictionary."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext_noop

from talentpark.core.models import Zone
from talentpark.core.search.documents import Document, SearchKind, register_facet_labels, register_kind
from talentpark.core.search.segmenter import register_dictionary_source
from talentpark.policies.models import Policy

FULL_TEXT_CHARS = 3000
# Document-type words and the "(试行)" mark around a policy's subject ("…安家补贴实施细则").
_DOC_TYPE = re.compile(
    r"[（(]试行[）)]|(实施细则|实施办法|管理办法|暂行办法|实施意见|若干措施|若干政策|办法|细则|规定|意见|通知|措施|方案)$"
)


def key_term(title: str, zone_names: list[str]) -> str:
    """A policy title's subject: the zone name and the document-type word removed
    ("济宁高新区青年人才安家补贴实施细则" → "青年人才安家补贴")."""
    term = title.strip()
    for name in sorted((n for n in zone_names if n), key=len, reverse=True):
        if term.startswith(name):
            term = term[len(name) :]
            break
    for _ in range(2):
        term = _DOC_TYPE.sub("", term).strip()
    return term


def policy_document(p: Policy) -> Document:
    return Document(
        zone_id=p.zone_id,
        object_id=p.pk,
        title=p.title,
        summary=" · ".join(x for x in (p.doc_number, p.issuing_body, p.summary) if x),
        names=[p.doc_number],
        texts=[
            p.issuing_body,
            p.get_category_display(),
            p.get_target_display(),
            p.summary,
            p.full_text[:FULL_TEXT_CHARS],
        ],
        terms=[key_term(p.title, [p.zone.name, p.zone.short_name])],
        category=p.category,
        year=p.published_on.year if p.published_on else None,
    )


register_kind(
    SearchKind(
        kind="policy",
        model=Policy,
        label=gettext_noop("政策"),
        url_name="policies:policy_detail",
        queryset=lambda: Policy.objects.select_related("zone"),
        build=policy_document,
        order=50,
    )
)


@register_dictionary_source
def policy_terms() -> Iterator[str]:
    zones = {z.pk: [z.name, z.short_name] for z in Zone.objects.all()}
    for zone_id, title in Policy.objects.values_list("zone_id", "title"):
        yield key_term(title, zones.get(zone_id, []))


register_facet_labels("category", {f"policy.{v}": str(label) for v, label in Policy.Category.choices})
