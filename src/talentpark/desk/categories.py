"""The service desk's categories (诉求类别): a dictionary the office manages (字典管理, code
``desk_category``), each item with its departments, required documents and time limits in the
item's extra data. On the dictionary page the office writes them as lines of ``名称=值``::

    部门=住房和城乡建设,人力资源和社会保障
    材料=劳动合同,社保缴纳证明
    时限=10
    部门时限=5
    关键词=公寓,租房,住房

which are checked and stored as ``{"departments": ["housing", "hrss"], "documents": [...],
"days": 10, "part_days": 5, "keywords": [...]}``. A request whose category is empty waits in the
"办不成事" queue for the office.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from talentpark.accounts.models import Department
from talentpark.core import dictionaries
from talentpark.core.validation import FieldErrors
from talentpark.desk.models import CATEGORY_DICTIONARY

DEFAULT_DAYS = 10  # working days for a whole request
DEFAULT_PART_DAYS = 5  # working days for one department's part
CONTACT_DAYS = 1  # first contact after a new assignment (Changzhi's promise)
SPLIT = re.compile(r"[,，、;；\s]+")

KEYS = {
    "部门": "departments",
    "departments": "departments",
    "材料": "documents",
    "documents": "documents",
    "时限": "days",
    "days": "days",
    "部门时限": "part_days",
    "part_days": "part_days",
    "关键词": "keywords",
    "keywords": "keywords",
}


def _list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v for v in SPLIT.split(str(value or "")) if v]


def _kind(text: str) -> str | None:
    """A department kind from its code or (a prefix of) its Chinese name: 住建 → housing."""
    for code, label in Department.Kind.choices:
        if text in (code, label) or str(label).startswith(text):
            return str(code)
    aliases = {"住建": "housing", "人社": "hrss", "卫健": "health", "科技": "science"}
    return aliases.get(text)


def check_extra(errors: FieldErrors, extra: dict[str, Any]) -> dict[str, Any]:
    """Read a category's lines (Chinese or English names) into the stored shape; name each bad one."""
    out: dict[str, Any] = {}
    for key, value in extra.items():
        name = KEYS.get(key)
        if name is None:
            if key != "aliases":
                errors.add("extra", "附加信息", f"不认识“{key}”，可写 部门、材料、时限、部门时限、关键词")
            else:
                out[key] = value
            continue
        if name == "departments":
            kinds = []
            for text in _list(value):
                kind = _kind(text)
                if kind is None:
                    errors.add("extra", "附加信息", f"部门“{text}”不是已知的部门类型")
                elif kind not in kinds:
                    kinds.append(kind)
            out[name] = kinds
        elif name in ("days", "part_days"):
            raw = str(value).strip()
            if not re.fullmatch(r"\d{1,3}", raw) or not 1 <= int(raw) <= 365:
                label = "时限" if name == "days" else "部门时限"
                errors.add("extra", "附加信息", f"{label}应为1到365之间的工作日数")
            else:
                out[name] = int(raw)
        else:
            items = _list(value)
            if any(len(i) > 40 for i in items):
                errors.add("extra", "附加信息", "材料和关键词每项不超过40字")
            out[name] = items
    days, part = out.get("days", DEFAULT_DAYS), out.get("part_days")
    if part is not None and part > days:
        errors.add("extra", "附加信息", "部门时限不能长于整件时限")
    return out


dictionaries.register_extra(CATEGORY_DICTIONARY, check_extra)


@dataclass(frozen=True)
class Category:
    value: str
    label: str
    departments: tuple[str, ...]
    documents: tuple[str, ...]
    days: int
    part_days: int
    keywords: tuple[str, ...]


def _of(item: dictionaries.Item) -> Category:
    extra = item.extra
    days = int(extra.get("days") or DEFAULT_DAYS)
    return Category(
        value=item.value,
        label=item.label,
        departments=tuple(extra.get("departments") or ()),
        documents=tuple(extra.get("documents") or ()),
        days=days,
        part_days=min(int(extra.get("part_days") or DEFAULT_PART_DAYS), days),
        keywords=tuple(extra.get("keywords") or ()),
    )


def categories(zone_id: int) -> list[Category]:
    """The zone's categories on offer, in the office's order."""
    return [_of(i) for i in dictionaries.items(CATEGORY_DICTIONARY, zone_id)]


def get(zone_id: int, value: str) -> Category | None:
    return next((c for c in categories(zone_id) if c.value == value), None)


def label(zone_id: int, value: str) -> str:
    if not value:
        return "办不成事"
    return dictionaries.label(CATEGORY_DICTIONARY, zone_id, value)


def suggest(zone_id: int, text: str) -> Category | None:
    """The category the text most likely belongs to: the most keyword (or name) hits; ties go to
    the office's order; no hit is None (the requester chooses, or it goes to 办不成事)."""
    text = text or ""
    best, best_score = None, 0
    for cat in categories(zone_id):
        score = sum(text.count(k) for k in cat.keywords) + 2 * text.count(cat.label)
        if score > best_score:
            best, best_score = cat, score
    return best


def departments_for(zone_id: int, category: Category) -> list[Department]:
    """The zone's department of each of the category's kinds (the first of a kind by id)."""
    found: dict[str, Department] = {}
    for dept in Department.objects.filter(zone_id=zone_id, kind__in=category.departments).order_by("id"):
        found.setdefault(dept.kind, dept)
    return [found[k] for k in category.departments if k in found]
