"""A talent's own pages (her profile, its edits) and the office's queue of profile changes.

Thin views: parse, check permission (``get_for`` / ``restrict``), call a registry service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from talentpark.accounts.access import get_for, has_perm, restrict
from talentpark.accounts.roles import Role
from talentpark.core import parameters
from talentpark.core.codes import Degree, ProfessionalTitle, ProgrammeLevel, SkillLevel
from talentpark.core.context import ActionContext
from talentpark.registry import services
from talentpark.registry.models import Enterprise, ProfileChange, Talent

CHOICES: dict[str, Any] = {
    "housing": Talent.Housing.choices,
    "highest_degree": [("", "—"), *Degree.choices],
    "professional_title": ProfessionalTitle.choices,
    "skill_level": SkillLevel.choices,
    "programme_level": ProgrammeLevel.choices,
}


def _describe(change: ProfileChange) -> list[tuple[str, str, str]]:
    """(field label, old value, new value) per requested field, as a person reads them."""
    talent = change.talent
    rows = []
    for name in services.VERIFIED_PROFILE_FIELDS:
        if name == "phone":
            new_phone: Any = change.new_phone  # a Sensitive: masked
            if new_phone is None:
                continue
            old, new = change.previous.get("phone", "") or "—", new_phone.masked
        elif name in change.changes:
            old = services.profile_display(talent, name, change.previous.get(name))
            new = services.profile_display(talent, name, change.changes[name])
        else:
            continue
        rows.append((services.PROFILE_LABELS[name], old, new))
    return rows


def _form_values(talent: Talent) -> dict[str, Any]:
    values = {name: services.profile_value(talent, name) for name in services.PROFILE_FIELDS}
    values["phone"] = ""  # never prefill a phone in clear; blank keeps the current one
    values["employer"] = str(values["employer"] or "")
    return values


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """我的档案: her record, her pending change, and the form to edit both kinds of fields."""
    user: Any = request.user
    if user.role != Role.TALENT:
        raise PermissionDenied
    mine = restrict(Talent.objects.select_related("zone", "employer", "person"), user, "change")
    records = list(mine.order_by("-id"))
    if not records:
        return render(request, "accounts/profile.html", {"talent": None}, status=200)
    chosen = request.POST.get("talent") or request.GET.get("t")
    talent = get_for(mine, user, "change", pk=chosen) if chosen else records[0]
    errors: dict[str, list[str]] = {}
    values = _form_values(talent)
    if request.method == "POST":
        data = {name: request.POST.get(name, "") for name in services.PROFILE_FIELDS if name in request.POST}
        if not data.get("phone"):
            data.pop("phone", None)
        try:
            applied, change = services.update_own_profile(
                ActionContext.from_request(request, reason="本人修改档案"),
                talent,
                data,
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            errors = exc.message_dict
            values.update({k: v for k, v in data.items() if k != "phone"})
        else:
            if applied:
                messages.success(request, gettext("已保存：%(f)s") % {"f": _labels(applied)})
            if change is not None:
                messages.success(
                    request,
                    gettext("已提交人才办审核：%(f)s。审核通过前，档案保持原值。")
                    % {"f": "、".join(label for label, _o, _n in _describe(change))},
                )
            return redirect(f"{request.path}?t={talent.pk}")
    pending = talent.profile_changes.filter(status=ProfileChange.Status.PENDING).first()
    decided = list(talent.profile_changes.exclude(status=ProfileChange.Status.PENDING).order_by("-id")[:5])
    request.pii_shown = True  # type: ignore[attr-defined]  # masked phone and ID: never cache
    context = {
        "talent": talent,
        "records": records,
        "tier_held": services.held_tier(talent, _today()),
        "pending": pending,
        "pending_rows": _describe(pending) if pending else [],
        "decided": [(c, _describe(c)) for c in decided],
        "values": values,
        "errors": errors,
        "general_errors": [m for k in ("changes", "__all__") for m in errors.get(k, [])],
        "direct": [_field(n, values, errors) for n in services.DIRECT_PROFILE_FIELDS],
        "verified": [_field(n, values, errors) for n in services.VERIFIED_PROFILE_FIELDS],
        "enterprises": Enterprise.objects.filter(zone_id=talent.zone_id).order_by("name").only("pk", "name"),
    }
    return render(request, "accounts/profile.html", context, status=400 if errors else 200)


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _labels(names: list[str]) -> str:
    return "、".join(gettext(services.PROFILE_LABELS[n]) for n in names)


def _field(name: str, values: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "name": name,
        "label": services.PROFILE_LABELS[name],
        "value": "" if values.get(name) is None else str(values.get(name)),
        "choices": CHOICES.get(name),
        "errors": errors.get(name, []),
    }


def _reviewable(user: Any) -> Any:
    """Pending changes of talents the reviewer may change (zone and data scope)."""
    if not has_perm(user, "registry.talent.change"):
        raise PermissionDenied
    talents = restrict(Talent.objects.all(), user, "change").values("pk")
    return ProfileChange.objects.filter(talent__in=talents).select_related(
        "talent__person", "talent__employer", "requested_by"
    )


@never_cache
@login_required
def profile_change_list(request: HttpRequest) -> HttpResponse:
    """档案变更审核: the office's queue of pending profile changes, oldest first."""
    qs = _reviewable(request.user).filter(status=ProfileChange.Status.PENDING).order_by("id")
    page = Paginator(qs, parameters.value("list.page_size")).get_page(request.GET.get("page"))
    rows = [(c, _describe(c)) for c in page.object_list]
    request.pii_shown = True  # type: ignore[attr-defined]
    return render(request, "accounts/profile_changes.html", {"page": page, "rows": rows, "query": ""})


@login_required
@require_POST
def profile_change_review(request: HttpRequest, pk: int) -> HttpResponse:
    change = _reviewable(request.user).filter(pk=pk).first()
    if change is None:
        from django.http import Http404

        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        services.review_profile_change(
            ActionContext.from_request(request, reason="档案变更审核"),
            change,
            approve,
            request.POST.get("review_note", ""),
        )
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            for m in msgs:
                messages.error(request, m)
    else:
        name = change.talent.person.name
        messages.success(
            request,
            gettext("已通过%(n)s的档案变更") % {"n": name}
            if approve
            else gettext("已退回%(n)s的档案变更，档案保持原值") % {"n": name},
        )
    return redirect("registry:profile_change_list")
