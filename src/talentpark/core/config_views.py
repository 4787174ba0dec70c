"""字典管理 and 参数管理 pages (系统管理): thin views over core.dictionaries, core.synonyms and
core.parameters.

The office edits its own zone's dictionaries and synonyms; platform-wide ones (and the national
synonyms) are read-only to it, and editable by a superuser without a zone. Parameters are
platform-wide: the office (``core.parameter.change``) and superusers change them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from talentpark.core import audit, dictionaries, parameters, synonyms
from talentpark.core.access import has_perm
from talentpark.core.codes import SYNONYM_CHOICES, ProgrammeLevel
from talentpark.core.context import ActionContext
from talentpark.core.models import AuditLog, CodeSynonym, Dictionary, DictionaryItem, Parameter, Zone

DICTIONARY = "core.dictionary.change"
PARAMETER = "core.parameter.change"
LOCAL_LEVELS = [
    (c, str(label)) for c, label in ProgrammeLevel.choices if c not in ("", ProgrammeLevel.NATIONAL)
]


def _may(user: Any, perm: str) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active) or has_perm(user, perm)


def _zone(request: HttpRequest) -> int | None:
    """The zone whose lists the user edits (None: a superuser without a zone edits the platform's)."""
    user: Any = request.user
    if not _may(user, DICTIONARY):
        raise PermissionDenied
    zone_id: int | None = getattr(user, "zone_id", None)
    if zone_id is None and not user.is_superuser:
        raise PermissionDenied
    return zone_id


def _visible(zone_id: int | None) -> Q:
    return Q(zone__isnull=True) | Q(zone_id=zone_id) if zone_id else Q(zone__isnull=True)


def _dictionary(request: HttpRequest, pk: int) -> tuple[Dictionary, bool]:
    """A dictionary the user may see, and whether she may edit it."""
    zone_id = _zone(request)
    obj = get_object_or_404(Dictionary.objects.filter(_visible(zone_id)), pk=pk)
    return obj, obj.zone_id == zone_id


def _editable(request: HttpRequest, pk: int) -> Dictionary:
    obj, editable = _dictionary(request, pk)
    if not editable:
        raise PermissionDenied
    return obj


def _errors_to_messages(request: HttpRequest, exc: ValidationError) -> None:
    for msgs in exc.message_dict.values():
        for m in msgs:
            messages.error(request, m)


# ---- 字典管理 ---------------------------------------------------------------------------------


@login_required
def dictionary_list(request: HttpRequest) -> HttpResponse:
    zone_id = _zone(request)
    rows = list(Dictionary.objects.filter(_visible(zone_id)).order_by("code", "zone_id"))
    own = {d.code for d in rows if d.zone_id == zone_id}
    shown = [
        d for d in rows if d.zone_id == zone_id or d.code not in own
    ]  # the zone's replaces the platform's
    counts = {
        d.pk: (d.items.filter(enabled=True).count(), d.items.count()) for d in shown
    }  # a handful of dictionaries: one small count each
    synonym_count = CodeSynonym.objects.filter(_visible(zone_id)).count()
    ctx = {
        "rows": [(d, d.zone_id == zone_id, *counts[d.pk]) for d in shown],
        "synonym_count": synonym_count,
        "zone_id": zone_id,
    }
    return render(request, "core/dictionary_list.html", ctx)


@login_required
def dictionary_new(request: HttpRequest) -> HttpResponse:
    zone_id = _zone(request)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = request.POST.dict()
        try:
            obj = dictionaries.save_dictionary(ActionContext.from_request(request), zone_id, values)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, gettext("字典已创建"))
            return redirect("core:dictionary_detail", pk=obj.pk)
    return render(
        request,
        "core/dictionary_form.html",
        {"values": values, "errors": errors},
        status=400 if errors else 200,
    )


@login_required
def dictionary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One dictionary: its items (add, edit, enable/disable, reorder), its name, its history."""
    obj, editable = _dictionary(request, pk)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        values = request.POST.dict()
        ctx = ActionContext.from_request(request)
        try:
            if request.POST.get("form") == "dictionary":
                dictionaries.save_dictionary(ctx, obj.zone_id, values, obj)
                messages.success(request, gettext("字典已保存"))
            else:
                dictionaries.save_item(ctx, obj, values)
                messages.success(request, gettext("字典项已添加"))
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            return redirect("core:dictionary_detail", pk=obj.pk)
    context = {
        "obj": obj,
        "editable": editable,
        "items": list(obj.items.order_by("sort", "id")),
        "values": values,
        "errors": errors,
        "history": list(audit.history(obj)),
        "programmes": obj.code == dictionaries.PROGRAMMES,
        "levels": LOCAL_LEVELS,
    }
    return render(request, "core/dictionary_detail.html", context, status=400 if errors else 200)


@login_required
@require_POST
def dictionary_localize(request: HttpRequest, pk: int) -> HttpResponse:
    obj, editable = _dictionary(request, pk)
    zone_id = _zone(request)
    if editable or zone_id is None:
        return redirect("core:dictionary_detail", pk=obj.pk)
    own = dictionaries.localize(ActionContext.from_request(request), obj.code, zone_id)
    messages.success(request, gettext("已设置本园区字典，可在此增删字典项"))
    return redirect("core:dictionary_detail", pk=own.pk)


def _item(request: HttpRequest, pk: int) -> DictionaryItem:
    item = get_object_or_404(DictionaryItem.objects.select_related("dictionary"), pk=pk)
    _editable(request, item.dictionary_id)
    return item


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values: dict[str, Any] = request.POST.dict()
        try:
            dictionaries.save_item(ActionContext.from_request(request), item.dictionary, values, item)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, gettext("字典项已保存"))
            return redirect("core:dictionary_detail", pk=item.dictionary_id)
    else:
        extra = dict(item.extra or {})
        aliases = extra.pop("aliases", [])
        level = extra.pop("level", "")
        values = {
            "value": item.value,
            "label": item.label,
            "sort": item.sort,
            "level": level,
            "aliases": "、".join(aliases),
            "extra": "\n".join(f"{k}={v}" for k, v in extra.items()),
        }
    context = {
        "item": item,
        "obj": item.dictionary,
        "values": values,
        "errors": errors,
        "programmes": item.dictionary.code == dictionaries.PROGRAMMES,
        "levels": LOCAL_LEVELS,
    }
    return render(request, "core/dictionary_item_form.html", context, status=400 if errors else 200)


@login_required
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = _item(request, pk)
    ctx = ActionContext.from_request(request)
    if action in ("enable", "disable"):
        dictionaries.set_enabled(ctx, item, action == "enable")
        messages.success(request, gettext("字典项已启用") if action == "enable" else gettext("字典项已停用"))
    elif action in ("up", "down"):
        dictionaries.move(ctx, item, -1 if action == "up" else 1)
    else:
        raise Http404
    return redirect("core:dictionary_detail", pk=item.dictionary_id)


# ---- 导入同义词 (CodeSynonym, through core.synonyms) -------------------------------------------


@login_required
def synonym_list(request: HttpRequest) -> HttpResponse:
    zone_id = _zone(request)
    table = request.GET.get("table") or ""
    qs = CodeSynonym.objects.filter(_visible(zone_id))
    if table in SYNONYM_CHOICES:
        qs = qs.filter(table=table)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = request.POST.dict()
        zone = Zone.objects.get(pk=zone_id) if zone_id else None
        try:
            synonyms.add_synonym(
                ActionContext.from_request(request),
                zone,
                values.get("table", ""),
                values.get("spelling", ""),
                values.get("code", ""),
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, gettext("同义词已添加"))
            return redirect("core:synonym_list")
    tables = [(t, str(CodeSynonym.Table(t).label), c.choices) for t, c in SYNONYM_CHOICES.items()]
    labels = {t: dict(c) for t, _l, c in tables}
    rows = [
        (s, s.zone_id == zone_id, labels.get(s.table, {}).get(s.code, s.code))
        for s in qs.order_by("table", "code")
    ]
    history = AuditLog.objects.filter(action__startswith="core.synonym.")
    history = history.filter(zone_id=zone_id) if zone_id else history.filter(zone_id__isnull=True)
    context = {
        "rows": rows,
        "tables": tables,
        "table": table,
        "values": values,
        "errors": errors,
        "history": list(history.select_related("actor").order_by("-id")[:50]),
    }
    return render(request, "core/synonym_list.html", context, status=400 if errors else 200)


def _synonym(request: HttpRequest, pk: int) -> CodeSynonym:
    zone_id = _zone(request)
    row = get_object_or_404(CodeSynonym.objects.filter(_visible(zone_id)), pk=pk)
    if row.zone_id != zone_id:
        raise PermissionDenied  # the national defaults are read-only to a zone's office
    return row


@login_required
@require_POST
def synonym_change(request: HttpRequest, pk: int) -> HttpResponse:
    row = _synonym(request, pk)
    ctx = ActionContext.from_request(request)
    try:
        if request.POST.get("remove") == "1":
            synonyms.remove_synonym(ctx, row)
            messages.success(request, gettext("同义词已删除"))
        else:
            synonyms.change_synonym(ctx, row, request.POST.get("code", ""))
            messages.success(request, gettext("同义词已修改"))
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    return redirect("core:synonym_list")


# ---- 参数管理 ---------------------------------------------------------------------------------


def _parameters_user(request: HttpRequest) -> None:
    if not has_perm(request.user, PARAMETER):  # the 系统管理员 only (core.access.grant_system_admin)
        raise PermissionDenied


@login_required
def parameter_list(request: HttpRequest) -> HttpResponse:
    _parameters_user(request)
    stored = {p.key: p for p in Parameter.objects.select_related("updated_by")}
    groups: dict[str, list[dict[str, Any]]] = {}
    for spec in parameters.specs():
        row = stored.get(spec.key)
        groups.setdefault(parameters.GROUPS.get(spec.group, spec.group), []).append(_describe(spec, row))
    return render(request, "core/parameter_list.html", {"groups": list(groups.items())})


def _describe(spec: parameters.Spec, row: Parameter | None) -> dict[str, Any]:
    default = spec.default()
    current = parameters.value(spec.key)
    return {
        "spec": spec,
        "row": row,
        "type": parameters.TYPES[spec.type],
        "current": spec.display(current),
        "current_text": spec.text(current),
        "default": spec.display(default),
        "overridden": row is not None and row.value is not None,
    }


@login_required
def parameter_edit(request: HttpRequest, key: str) -> HttpResponse:
    _parameters_user(request)
    try:
        spec = parameters.spec(key)
    except KeyError:
        raise Http404 from None
    errors: dict[str, list[str]] = {}
    raw: Any = None
    if request.method == "POST":
        raw = request.POST.get("value", "")
        ctx = ActionContext.from_request(request, reason=request.POST.get("reason", "").strip()[:300])
        try:
            if request.POST.get("reset") == "1":
                done = parameters.reset(ctx, key)
                messages.success(request, gettext("已恢复默认值") if done else gettext("当前已是默认值"))
            else:
                parameters.set_value(ctx, key, raw)
                messages.success(request, gettext("参数已保存，立即生效"))
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            return redirect("core:parameter_edit", key=key)
    row = Parameter.objects.filter(key=key).select_related("updated_by").first()
    described = _describe(spec, row)
    context = {
        **described,
        "value": described["current_text"] if raw is None else raw,
        "errors": errors.get(key, []),
        "history": list(audit.history(row)) if row is not None else [],
    }
    return render(request, "core/parameter_form.html", context, status=400 if errors else 200)
