"""字典管理: lists a zone's office edits itself, read by code through :func:`items`.

A dictionary has a ``code`` that code refers to (``talent_programme``), a name and a description.
A platform-wide dictionary (zone empty) gives the code its definition and, optionally, items for
every zone; a zone's own dictionary of the same code replaces it for that zone, whole (the office
starts one with :func:`localize`, which copies the platform's items). Items have a stored value,
the label people read, a place in the list, an enabled switch (a disabled item is kept, so old
records still show its label, but it is offered no more) and optional ``extra`` data.

Reads are cached per worker under the zone's version (:mod:`talentpark.core.zone_versions`):
a committed change to a zone's dictionary moves that zone's version, a change to a platform-wide
one moves every zone's, so no worker reads a list older than the last committed change.

Every change writes one audit row on the dictionary itself (``core.dictionary.*``), so
``core.audit.history(dictionary)`` is its whole history, items included.

The import's synonym list (写法 → 代码, ``core.CodeSynonym``) is the other office-edited list;
it keeps its own table and service (:mod:`talentpark.core.synonyms`), shown on the same pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q

from talentpark.core import audit, zone_versions
from talentpark.core.context import ActionContext
from talentpark.core.models import Dictionary, DictionaryItem, Zone
from talentpark.core.normalize import compact
from talentpark.core.validation import FieldErrors, starts_like_formula

PROGRAMMES = "talent_programme"  # 本地人才计划: extra {"level": ProgrammeLevel value}
CODE_RE = re.compile(r"^[a-z][a-z0-9_.]{1,39}$")
ITEM_FIELDS = ("value", "label", "sort", "enabled", "extra")


# Apps that give a dictionary's items structured data register how to read and check it:
# ``fn(errors, extra) -> extra``, called on every item saved (``register_extra``).
ExtraFn = Callable[[FieldErrors, dict[str, Any]], dict[str, Any]]
_EXTRA: dict[str, ExtraFn] = {}


def register_extra(code: str, fn: ExtraFn) -> None:
    """Check and normalise the ``extra`` data of dictionary ``code``'s items with ``fn``."""
    _EXTRA[code] = fn


@dataclass(frozen=True)
class Item:
    """A dictionary item as code reads it."""

    value: str
    label: str
    sort: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def dictionary_for(code: str, zone_id: int | None) -> Dictionary | None:
    """The dictionary that holds ``code`` for ``zone_id``: the zone's own, else the platform's."""
    scope = Q(zone__isnull=True) | Q(zone_id=zone_id) if zone_id else Q(zone__isnull=True)
    found = sorted(Dictionary.objects.filter(scope, code=code), key=lambda d: d.zone_id is None)
    return found[0] if found else None


def _read(code: str, zone_id: int | None) -> list[Item]:
    dictionary = dictionary_for(code, zone_id)
    if dictionary is None:
        return []
    rows = dictionary.items.filter(enabled=True).order_by("sort", "id")
    return [Item(r.value, r.label, r.sort, dict(r.extra or {})) for r in rows]


def items(code: str, zone_id: int | None) -> list[Item]:
    """The enabled items of ``code`` for ``zone_id``, in order (cached under the zone's version)."""
    mark = zone_versions.versions([zone_id]) if zone_id else zone_versions.all_versions()
    return zone_versions.cached(f"core.dictionary|{code}|{zone_id}", mark, lambda: _read(code, zone_id))


def matcher(code: str, zone_id: int | None) -> Callable[[Any], Item | None]:
    """``find(text)``: the item ``text`` names (its label, its value or one of
    ``extra["aliases"]``, compared after folding full-width forms and dropping spaces), else
    ``None``. Reads the list once: an import builds one and calls it for every row."""
    spellings: dict[str, Item] = {}
    for item in reversed(items(code, zone_id)):  # the first item wins a spelling two share
        for spelling in (*item.extra.get("aliases", []), item.value, item.label):
            spellings[compact(str(spelling))] = item

    def find(text: Any) -> Item | None:
        key = compact(str(text or ""))
        return spellings.get(key) if key else None

    return find


def match(code: str, zone_id: int | None, text: Any) -> Item | None:
    """The item ``text`` names (see :func:`matcher`), else ``None``."""
    return matcher(code, zone_id)(text)


def label(code: str, zone_id: int | None, value: str) -> str:
    """The label of a stored value (the value itself when the list no longer has it)."""
    return next((i.label for i in items(code, zone_id) if i.value == value), value)


# -- changes ------------------------------------------------------------------------------------


def _touch(dictionary: Dictionary) -> None:
    """A platform-wide dictionary is read by every zone: move them all when it changes."""
    if dictionary.zone_id is None:
        zone_versions.touch(Zone.objects.values_list("pk", flat=True))


def _text(
    errors: FieldErrors, data: dict[str, Any], name: str, label: str, limit: int, *, required: bool
) -> str:
    text = str(data.get(name) or "").strip()
    if not text:
        if required:
            errors.add(name, label, "不能为空")
    elif len(text) > limit:
        errors.add(name, label, f"不能超过{limit}字")
    elif starts_like_formula(text):
        errors.add(name, label, "不能以 = + - @ 开头")
    return text


def validate_dictionary(data: dict[str, Any], *, new: bool) -> dict[str, Any]:
    errors = FieldErrors()
    clean = {
        "name": _text(errors, data, "name", "字典名称", 60, required=True),
        "description": _text(errors, data, "description", "说明", 300, required=False),
    }
    if new:
        code = str(data.get("code") or "").strip()
        if not CODE_RE.match(code):
            errors.add("code", "字典编码", "须以小写字母开头，只含小写字母、数字、下划线和点，2至40位")
        clean["code"] = code
    errors.raise_if_any()
    return clean


def save_dictionary(
    ctx: ActionContext, zone_id: int | None, data: dict[str, Any], obj: Dictionary | None = None
) -> Dictionary:
    """Create a dictionary for ``zone_id`` (None: platform-wide) or change its name/description."""
    clean = validate_dictionary(data, new=obj is None)
    fields = ("code", "name", "description")
    with transaction.atomic():
        if obj is None:
            scope = Q(zone_id=zone_id) if zone_id is not None else Q(zone__isnull=True)
            if Dictionary.objects.filter(scope, code=clean["code"]).exists():
                raise ValidationError({"code": f"字典编码：“{clean['code']}”已存在"})
            obj = Dictionary.objects.create(zone_id=zone_id, **clean)
            before = None
            action = "core.dictionary.create"
        else:
            obj = Dictionary.objects.select_for_update().get(pk=obj.pk)
            before = audit.snapshot(obj, fields)
            for name, value in clean.items():
                setattr(obj, name, value)
            obj.save(update_fields=list(clean))
            action = "core.dictionary.change"
        audit.record(ctx, action, obj, before=before, after=audit.snapshot(obj, fields))
        _touch(obj)
    return obj


def localize(ctx: ActionContext, code: str, zone_id: int) -> Dictionary:
    """本园区单独设置: the zone's own copy of a platform-wide dictionary (its items copied)."""
    with transaction.atomic():
        own = Dictionary.objects.filter(zone_id=zone_id, code=code).first()
        if own is not None:
            return own
        platform = Dictionary.objects.filter(zone__isnull=True, code=code).first()
        if platform is None:
            raise ValidationError({"code": f"字典编码：没有“{code}”"})
        own = Dictionary.objects.create(
            zone_id=zone_id, code=code, name=platform.name, description=platform.description
        )
        copied = [
            DictionaryItem(
                dictionary=own, value=i.value, label=i.label, sort=i.sort, enabled=i.enabled, extra=i.extra
            )
            for i in platform.items.order_by("sort", "id")
        ]
        DictionaryItem.objects.bulk_create(copied)
        zone_versions.touch([zone_id])  # bulk_create sends no signals
        audit.record(
            ctx,
            "core.dictionary.localize",
            own,
            after={"code": code, "from": platform.pk, "items": len(copied)},
        )
    return own


def _extra(errors: FieldErrors, dictionary: Dictionary, data: dict[str, Any]) -> dict[str, Any]:
    raw = data.get("extra")
    if isinstance(raw, dict):
        extra = dict(raw)
    else:
        extra = {}
        for line in str(raw or "").splitlines():
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            if not sep or not key.strip():
                errors.add("extra", "附加信息", f"“{line.strip()[:30]}”应写成 名称=值")
                continue
            extra[key.strip()] = value.strip()
    for name in ("level", "aliases"):  # the form's own fields for the common keys
        if name in data and not isinstance(raw, dict):
            extra[name] = data[name]
    if isinstance(extra.get("aliases"), str):
        extra["aliases"] = [a.strip() for a in re.split(r"[,，、;；]", extra["aliases"]) if a.strip()]
    if not extra.get("aliases"):
        extra.pop("aliases", None)
    elif any(len(a) > 80 or starts_like_formula(a) for a in extra["aliases"]):
        errors.add("aliases", "其他写法", "每个写法不超过80字，且不能以 = + - @ 开头")
    if dictionary.code == PROGRAMMES:
        from talentpark.core.codes import ProgrammeLevel

        level = str(extra.get("level", "")).strip()
        local = [c for c in ProgrammeLevel.values if c not in ("", ProgrammeLevel.NATIONAL)]
        labels = {str(lbl): c for c, lbl in ProgrammeLevel.choices}
        level = labels.get(level, level)
        if level not in local:
            errors.add("level", "人才计划级别", "请选择省级、市级或区级")
        extra["level"] = level
    if dictionary.code in _EXTRA:
        extra = _EXTRA[dictionary.code](errors, extra)
    return extra


def validate_item(
    dictionary: Dictionary, data: dict[str, Any], item: DictionaryItem | None = None
) -> dict[str, Any]:
    errors = FieldErrors()
    label_text = _text(errors, data, "label", "显示名称", 80, required=True)
    value = str(data.get("value") or "").strip() or label_text
    if len(value) > 80:
        errors.add("value", "字典值", "不能超过80字")
    elif value and starts_like_formula(value):
        errors.add("value", "字典值", "不能以 = + - @ 开头")
    taken = dictionary.items.filter(value=value)
    if item is not None:
        taken = taken.exclude(pk=item.pk)
    if value and taken.exists():
        errors.add("value", "字典值", f"“{value}”已存在")
    sort_raw = str(data.get("sort") if data.get("sort") is not None else "").strip()
    sort: int | None = None
    if sort_raw:
        if not re.fullmatch(r"-?\d{1,6}", sort_raw):
            errors.add("sort", "排序", "必须是整数")
        else:
            sort = int(sort_raw)
    extra = _extra(errors, dictionary, data)
    errors.raise_if_any()
    return {"value": value, "label": label_text, "sort": sort, "extra": extra}


def save_item(
    ctx: ActionContext, dictionary: Dictionary, data: dict[str, Any], item: DictionaryItem | None = None
) -> DictionaryItem:
    """Add an item (at the end unless a sort is given) or change one."""
    clean = validate_item(dictionary, data, item)
    with transaction.atomic():
        locked = Dictionary.objects.select_for_update().get(pk=dictionary.pk)
        if item is None:
            if clean["sort"] is None:
                last = locked.items.aggregate(m=Max("sort"))["m"]
                clean["sort"] = 10 if last is None else last + 10
            item = DictionaryItem.objects.create(dictionary=locked, **clean)
            before = None
            action = "core.dictionary.item_add"
        else:
            item = DictionaryItem.objects.select_for_update().get(pk=item.pk, dictionary=locked)
            before = audit.snapshot(item, ITEM_FIELDS)
            if clean["sort"] is None:
                clean["sort"] = item.sort
            for name, value in clean.items():
                setattr(item, name, value)
            item.save(update_fields=list(clean))
            action = "core.dictionary.item_change"
        after = audit.snapshot(item, ITEM_FIELDS)
        if before is not None:
            before, after = audit.diff(before, after)
        audit.record(ctx, action, locked, before=before, after={"item": item.value, **after})
        _touch(locked)
    return item


def set_enabled(ctx: ActionContext, item: DictionaryItem, enabled: bool) -> DictionaryItem:
    """启用 / 停用 an item (a disabled item is kept, and offered no more)."""
    with transaction.atomic():
        locked = DictionaryItem.objects.select_for_update().select_related("dictionary").get(pk=item.pk)
        if locked.enabled == enabled:
            return locked
        locked.enabled = enabled
        locked.save(update_fields=["enabled"])
        action = "core.dictionary.item_enable" if enabled else "core.dictionary.item_disable"
        audit.record(
            ctx,
            action,
            locked.dictionary,
            before={"item": locked.value, "enabled": not enabled},
            after={"item": locked.value, "enabled": enabled},
        )
        _touch(locked.dictionary)
    return locked


def move(ctx: ActionContext, item: DictionaryItem, step: int) -> None:
    """Move an item one place up (``step`` -1) or down (+1): the list is renumbered 10, 20, …"""
    with transaction.atomic():
        dictionary = Dictionary.objects.select_for_update().get(pk=item.dictionary_id)
        order = list(dictionary.items.select_for_update().order_by("sort", "id"))
        index = next(i for i, row in enumerate(order) if row.pk == item.pk)
        target = index + (1 if step > 0 else -1)
        if not 0 <= target < len(order):
            return
        before = [row.value for row in order]
        order[index], order[target] = order[target], order[index]
        changed = []
        for position, row in enumerate(order, start=1):
            if row.sort != position * 10:
                row.sort = position * 10
                changed.append(row)
        DictionaryItem.objects.bulk_update(changed, ["sort"])
        zone_versions.touch([dictionary.zone_id])  # bulk_update sends no signals
        _touch(dictionary)
        audit.record(
            ctx,
            "core.dictionary.item_move",
            dictionary,
            before={"order": before},
            after={"item": item.value, "order": [row.value for row in order]},
        )
