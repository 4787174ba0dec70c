"""一码归集 pages: the talent's own timeline and staff's view of one talent's timeline.

Both read ``core.timeline`` (every app's registered sources) for a talent fetched through the
permission layer: ``get_for`` on the talent, so a role without ``registry.talent.view`` gets 403 and
a talent outside the viewer's zone or data scope 404, as on the talent's page. Filter by kind with
links (no script needed); "加载更多" fetches the next page with htmx, or follows the link without it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from talentpark.accounts.access import get_for, restrict
from talentpark.accounts.roles import Role
from talentpark.core import parameters, timeline
from talentpark.registry.models import Talent
from talentpark.registry.pages import TALENTS


def page_number(raw: str | None) -> int:
    """A page number from the query string; anything else is the first page."""
    return int(raw) if raw and raw.isdigit() and 0 < len(raw) < 8 else 1


def talent_page(request: HttpRequest, talent: Talent, kinds: list[str], number: int) -> timeline.TimelinePage:
    return timeline.page(talent, request.user, kinds, number, parameters.value("list.page_size"))


def _render(
    request: HttpRequest, talent: Talent, *, own: bool, records: list[Talent], extra: dict[str, str]
) -> HttpResponse:
    kinds = timeline.known_kinds(request.GET.getlist("kind"))
    tl = talent_page(request, talent, kinds, page_number(request.GET.get("page")))

    def query(**changes: Any) -> str:
        params: list[tuple[str, Any]] = list(extra.items())
        chosen = changes.get("kinds", kinds)
        params += [("kind", k) for k in chosen]
        if changes.get("page"):
            params.append(("page", changes["page"]))
        return urlencode(params)

    context = {
        "talent": talent,
        "own": own,
        "records": records,
        "tl": tl,
        "kinds": kinds,
        "chips": [(code, label, code in kinds, query(kinds=[code])) for code, label in timeline.kinds()],
        "all_query": query(kinds=[]),
        "next_query": query(page=tl.next_number),
        "first_query": query(),
    }
    request.pii_shown = True  # type: ignore[attr-defined]  # a person's history: never cached
    if request.headers.get("HX-Request") == "true":
        return render(request, "registry/_timeline_items.html", context)
    return render(request, "registry/timeline.html", context)


@never_cache
@login_required
def my_timeline(request: HttpRequest) -> HttpResponse:
    """我的一码归集: the signed-in talent's own timeline (her newest record, or ``?t=`` another)."""
    user: Any = request.user
    if user.role != Role.TALENT:
        raise PermissionDenied
    mine = restrict(Talent.objects.select_related("zone", "employer", "person"), user, "view").order_by("-id")
    records = list(mine)
    if not records:
        return render(request, "registry/timeline.html", {"talent": None, "own": True})
    chosen = request.GET.get("t") or ""
    if chosen and not chosen.isdigit():
        raise Http404
    talent = get_for(mine, user, "view", pk=chosen) if chosen else records[0]
    extra = {"t": str(talent.pk)} if chosen else {}
    return _render(request, talent, own=True, records=records, extra=extra)


@never_cache
@login_required
def talent_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """One talent's timeline for those who may see her record (the same scope as her page)."""
    talent = get_for(TALENTS.queryset(request.user), request.user, "view", pk=pk)
    return _render(request, talent, own=False, records=[], extra={})
