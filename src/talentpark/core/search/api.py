"""``GET /api/search?q=&kind=&page=``: the search page's results as JSON (same access rules)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema

from talentpark.core.api_kit import Keyword, PageNumber, PageSize, answers
from talentpark.core.search.engine import PAGE_SIZE, search

router = Router(tags=["一网四库搜索"])
MAX_API_PAGE_SIZE = 50


class SearchHitOut(Schema):
    kind: str
    kind_label: str
    object_id: int
    title: str
    title_html: str  # the title, HTML-escaped, with <mark> around the matched terms
    snippet: str  # a short excerpt, HTML-escaped, with <mark> around the matched terms
    url: str
    score: float


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    active: bool


class FacetOut(Schema):
    param: str
    label: str
    values: list[FacetValueOut]


class SearchOut(Schema):
    query: str
    mode: str  # "and": every term matched; "or": the partial-match fallback; "": nothing searched
    total: int
    complete: int  # how many records hold every term (they come first in "or" mode)
    page: int
    page_size: int
    pages: int
    items: list[SearchHitOut]
    kinds: list[FacetValueOut]
    facets: list[FacetOut]
    facets_sampled: bool


def _value(v: Any) -> dict[str, Any]:
    return {"value": v.value, "label": gettext(v.label), "count": v.count, "active": v.active}


@router.get("", response=answers(SearchOut), operation_id="search", summary="一网四库全文检索")
def search_endpoint(
    request: HttpRequest,
    q: Keyword = "",
    kind: str = "",
    page: PageNumber = 1,
    page_size: PageSize = PAGE_SIZE,
    industry: str = "",
    chain: str = "",
    role: str = "",
    degree: str = "",
    title: str = "",
    tier: str = "",
    category: str = "",
    year: str = "",
) -> dict[str, Any]:
    """Search the talents, enterprises, platforms, projects, policies, jobs and demands the caller
    may see. Names can be looked up by pinyin (``zhangsan``) or initials (``zs``). Facet
    parameters filter; ``kind`` picks one kind of record."""
    filters = {
        "industry": industry,
        "chain": chain,
        "role": role,
        "degree": degree,
        "title": title,
        "tier": tier,
        "category": category,
        "year": year,
    }
    size = min(max(1, page_size), MAX_API_PAGE_SIZE)
    results = search(request.user, q, kind=kind, filters=filters, page=page, page_size=size)
    return {
        "query": results.query,
        "mode": results.mode,
        "total": results.total,
        "complete": results.complete,
        "page": results.page,
        "page_size": results.page_size,
        "pages": results.pages,
        "items": [{**hit.__dict__, "kind_label": gettext(hit.kind_label)} for hit in results.hits],
        "kinds": [_value(k) for k in results.kind_counts],
        "facets": [
            {"param": f.param, "label": gettext(f.label), "values": [_value(v) for v in f.values]}
            for f in results.facets
        ],
        "facets_sampled": results.facets_sampled,
    }
