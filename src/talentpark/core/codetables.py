"""Loading the national code tables shipped under ``core/data`` (see SOURCES.md there).

Used by data migrations (so a fresh database has them) and by the
``load_code_tables`` command (to apply an updated file to a running installation).
Upserts by code: re-running changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read(name: str) -> list[dict[str, Any]]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _upsert_tree(model: Any, rows: list[dict[str, Any]], extra: dict[str, Any] | None = None) -> int:
    """Insert parents before children, updating names and levels of existing codes."""
    existing = set(model.objects.values_list("code", flat=True))
    pending = list(rows)
    done = set(existing)
    written = 0
    while pending:
        progress = []
        for row in pending:
            if row["parent"] is None or row["parent"] in done:
                defaults = {
                    "name": row["name"],
                    "level": row["level"],
                    "parent_id": row["parent"],
                    **(extra or {}),
                }
                model.objects.update_or_create(code=row["code"], defaults=defaults)
                done.add(row["code"])
                written += 1
            else:
                progress.append(row)
        if len(progress) == len(pending):
            raise ValueError(f"{model.__name__}: parents missing for {[r['code'] for r in progress][:5]}")
        pending = progress
    return written


def load_divisions(Division: Any) -> int:
    n = _upsert_tree(Division, read("divisions_gb2260.json"), {"is_current": True})
    known = set(Division.objects.values_list("code", flat=True))
    for row in read("historical_divisions.json"):
        code = row["code"]
        if code in known:
            continue
        parent = next((p for p in (code[:4] + "00", code[:2] + "0000") if p in known and p != code), None)
        level = "county" if code[4:] != "00" else "prefecture" if code[2:] != "0000" else "province"
        Division.objects.create(code=code, name=row["name"], level=level, parent_id=parent, is_current=False)
        n += 1
    return n


def load_industries(Industry: Any) -> int:
    return _upsert_tree(Industry, read("industries_gb4754_2017.json"))


def load_universities(University: Any, Division: Any) -> int:
    provinces = set(Division.objects.filter(level="province").values_list("code", flat=True))
    n = 0
    for row in read("universities.json"):
        University.objects.update_or_create(
            name=row["name"],
            defaults={
                "province_id": row["province_code"] if row["province_code"] in provinces else None,
                "kind": row.get("kind", "本科"),
                "is_985": row["is_985"],
                "is_211": row["is_211"],
                "is_double_first_class": row["is_double_first_class"],
            },
        )
        n += 1
    return n
