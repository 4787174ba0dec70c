"""Job fairs' pages: the list, the office's scheduling form, a fair's page (booths and their jobs;
her registration, intention taps and résumés; the enterprise's booth; the office's check-in desk
and the fair's report). Thin: parse, check, call ``fairs``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from talentpark.accounts.access import get_for, has_perm, restrict
from talentpark.core.roles import Role
from talentpark.recruitment import access, fairs, services
from talentpark.recruitment.models import Application, Fair, FairBooth, FairIntention, FairVisitor
from talentpark.recruitment.views import _ctx, _my_zone, _need, _run
from talentpark.registry.shell import hr_enterprise


def _fair(request: HttpRequest, pk: int, action: str = "view") -> Fair:
    found: Fair = get_for(restrict(Fair.objects.all(), request.user, action), request.user, action, pk=pk)
    return found


@login_required
@require_safe
def fair_list(request: HttpRequest) -> HttpResponse:
    user = _need(request, access.FAIRS)
    rows = list(restrict(Fair.objects.all(), user).order_by("-starts_at")[:50])
    now = timezone.now()
    for f in rows:
        f.state = fairs.state(f, now)  # type: ignore[attr-defined]
        f.state_label = fairs.STATE_LABELS[f.state]  # type: ignore[attr-defined]
    return render(
        request, "recruitment/fairs.html", {"rows": rows, "manage": has_perm(user, access.FAIR_MANAGE)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def fair_new(request: HttpRequest) -> HttpResponse:
    user = _need(request, access.FAIR_MANAGE)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {"kind": Fair.Kind.ONSITE}
    if request.method == "POST":
        values = request.POST.dict()
        try:
            fair = fairs.schedule(_ctx(request, "发布招聘会"), user.zone_id, values)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, gettext("招聘会已发布，企业和人才现在可以报名"))
            return redirect("recruitment:fair", pk=fair.pk)
    return render(
        request,
        "recruitment/fair_form.html",
        {"values": values, "errors": errors, "kinds": Fair.Kind.choices},
        status=400 if errors else 200,
    )


@login_required
@require_safe
def fair(request: HttpRequest, pk: int) -> HttpResponse:
    user = _need(request, access.FAIRS)
    f = _fair(request, pk)
    state = fairs.state(f)
    booths = list(
        FairBooth.objects.filter(fair=f)
        .select_related("enterprise")
        .prefetch_related("positions")
        .order_by("number")
    )
    context: dict[str, Any] = {
        "fair": f,
        "state": state,
        "state_label": fairs.STATE_LABELS[state],
        "booths": booths,
        "manage": has_perm(user, access.FAIR_MANAGE),
    }
    zone_id = _my_zone(user)
    person = services.person_of(user, f.zone_id) if zone_id else None
    if person is not None:
        context["person"] = person
        context["visitor"] = FairVisitor.objects.filter(fair=f, person=person).first()
        context["intended"] = set(
            FairIntention.objects.filter(booth__fair=f, person=person).values_list("booth_id", flat=True)
        )
        context["applied"] = set(
            Application.objects.filter(person=person).values_list("position_id", flat=True)
        )
    ent = hr_enterprise(user) if user.role == Role.HR else None
    if ent is not None:
        mine = next((b for b in booths if b.enterprise_id == ent.pk), None)
        context["my_booth"] = mine
        context["my_positions"] = list(
            services.public_positions([ent.zone_id]).filter(enterprise=ent).order_by("-id")[:100]
        )
        context["chosen"] = {p.pk for p in mine.positions.all()} if mine else set()
        if mine is not None:
            context["booth_intentions"] = list(
                FairIntention.objects.filter(booth=mine).select_related("person").order_by("-at")[:100]
            )
    if context["manage"] or ent is not None:
        context["report"] = fairs.report(f)
    return render(request, "recruitment/fair.html", context)


def _person(request: HttpRequest, f: Fair) -> Any:
    _need(request, access.APPLY)
    person = services.person_of(request.user, f.zone_id)
    if person is None:
        raise Http404
    return person


@login_required
@require_POST
def fair_register(request: HttpRequest, pk: int) -> HttpResponse:
    f = _fair(request, pk)
    person = _person(request, f)
    if f.kind == Fair.Kind.ONLINE and fairs.state(f) == "live":
        _run(
            request,
            lambda: fairs.join_online(_ctx(request, "进入空中双选会"), f, person),
            gettext("已进入空中双选会"),
        )
    else:
        _run(
            request,
            lambda: fairs.register(_ctx(request, "报名招聘会"), f, person),
            gettext("报名成功，到场请出示人才码签到"),
        )
    return redirect("recruitment:fair", pk=f.pk)


@login_required
@require_POST
def fair_intend(request: HttpRequest, pk: int) -> HttpResponse:
    booth = get_for(
        restrict(FairBooth.objects.select_related("fair", "enterprise"), request.user),
        request.user,
        "view",
        pk=pk,
    )
    person = _person(request, booth.fair)
    _run(
        request,
        lambda: fairs.intend(_ctx(request, "登记现场意向"), booth, person),
        gettext("已登记意向，企业会与您联系"),
    )
    return redirect("recruitment:fair", pk=booth.fair_id)


@login_required
@require_POST
def fair_apply(request: HttpRequest, pk: int) -> HttpResponse:
    booth = get_for(
        restrict(FairBooth.objects.select_related("fair", "enterprise"), request.user),
        request.user,
        "view",
        pk=pk,
    )
    person = _person(request, booth.fair)
    position = booth.positions.filter(pk=int(request.POST.get("position", "0") or 0)).first()
    if position is None:
        raise Http404
    _run(
        request,
        lambda: fairs.apply_at(_ctx(request, "招聘会投递"), booth, person, position),
        gettext("简历已投递"),
    )
    return redirect("recruitment:fair", pk=booth.fair_id)


@login_required
@require_POST
def fair_booth(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, access.POST)
    f = _fair(request, pk)
    ent = hr_enterprise(request.user)
    if ent is None:
        raise PermissionDenied
    _run(
        request,
        lambda: fairs.take_booth(_ctx(request, "报名参会"), f, ent, request.POST.getlist("positions")),
        gettext("展位已保存"),
    )
    return redirect("recruitment:fair", pk=f.pk)


@login_required
@require_POST
def fair_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, access.FAIR_MANAGE)
    f = _fair(request, pk, "change")
    _run(
        request,
        lambda: fairs.check_in(_ctx(request, "招聘会签到"), f, request.POST.get("code", "")),
        gettext("签到成功"),
    )
    return redirect("recruitment:fair", pk=f.pk)
