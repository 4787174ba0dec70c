"""The search page ``/search/?q=…``: one box over every registry the user may see."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from talentpark.core.search.engine import SearchResults, clean_filters, search


def page_number(raw: Any) -> int:
    """A page number from user input; anything odd is page 1."""
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) <= 4 else 1


def _link(base: dict[str, str], **changes: str) -> str:
    params = {**base, **changes}
    return "?" + urlencode({k: v for k, v in params.items() if v})


def _links(results: SearchResults, kind: str) -> dict[str, Any]:
    """Ready-made query strings: kind tabs, facet toggles, pages (the template only prints them)."""
    base = {"q": results.query, "kind": kind, **results.filters}
    tabs = [
        {
            "label": "全部",
            "count": sum(k.count for k in results.kind_counts),
            "more": not results.total_exact,
            "active": not kind,
            "href": _link(base, kind="", page=""),
        }
    ]
    tabs += [
        {
            "label": k.label,
            "count": k.count,
            "more": k.more,
            "active": k.active,
            "href": _link(base, kind=k.value, page=""),
        }
        for k in results.kind_counts
    ]
    facets = [
        {
            "label": f.label,
            "values": [
                {
                    "label": v.label,
                    "count": v.count,
                    "active": v.active,
                    "href": _link(base, **{f.param: "" if v.active else v.value, "page": ""}),
                }
                for v in f.values
            ],
        }
        for f in results.facets
    ]
    active = [
        {
            "label": next(
                (v.label for f in results.facets for v in f.values if f.param == p and v.value == value),
                value,
            ),
            "href": _link(base, **{p: "", "page": ""}),
        }
        for p, value in results.filters.items()
    ]
    pages = {
        "previous": _link(base, page=str(results.page - 1)) if results.page > 1 else "",
        "next": _link(base, page=str(results.page + 1)) if results.page < results.pages else "",
    }
    return {"tabs": tabs, "facets": facets, "active_filters": active, "pages": pages}


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()
    kind = (request.GET.get("kind") or "").strip()[:16]
    results = search(
        request.user,
        query,
        kind=kind,
        filters=clean_filters(request.GET),
        page=page_number(request.GET.get("page")),
    )
    # People's names are shown: the page is never cached.
    request.pii_shown = True  # type: ignore[attr-defined]
    context = {
        "results": results,
        "query": results.query,
        **_links(results, next((k.value for k in results.kind_counts if k.active), "")),
    }
    return render(request, "core/search.html", context)
