"""Turning validated rows into new, changed and unchanged records, and writing them in bulk.

:func:`plan` compares every clean row with what the zone holds (fetched by key, in
batches, never per row) and says for each whether it is new, an update or unchanged.
The preview calls it read-only for the counts; the commit calls it again inside its
transaction with the existing rows locked (``select_for_update``, primary-key order)
and then :meth:`Plan.write` saves with ``bulk_create`` / ``bulk_update`` in batches.
Unchanged rows are not written at all, so importing the same file twice changes
nothing — not even ``updated_at``.

Upsert keys: talents by the keyed hash of the ID number (``crypto.blind_index``) and
the zone; enterprises by (zone, credit code); platforms by (zone, name); projects by
(zone, name, enterprise).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import models
from django.utils import timezone
from pypinyin import lazy_pinyin

from talentpark.core.crypto import blind_index
from talentpark.core.models import Zone
from talentpark.registry.excel.rows import CleanRow
from talentpark.registry.models import Education, Enterprise, ImportJob, Person, Platform, Project, Talent

BATCH = 1000
LOOKUP_BATCH = 2000
# Text columns are NOT NULL: a blank cell clears them to "".
_TEXT_ATTRS = frozenset(
    {
        "name",
        "returnee_country",
        "email",
        "position_title",
        "title_discipline",
        "skill_occupation",
        "programme_name",
        "short_name",
        "address",
        "contact_name",
        "description",
        "host_organisation",
        "approved_by",
        "major",
        "highest_degree",
        "programme_level",
    }
)

PERSON_FIELDS = (
    ("name", "name"),
    ("highest_degree", "highest_degree"),
    ("hukou_division", "hukou_division_id"),
    ("hukou_in_zone", "hukou_in_zone"),
    ("is_returnee", "is_returnee"),
    ("returnee_country", "returnee_country"),
    ("email", "email"),
)
TALENT_FIELDS = (
    ("employer", "employer_id"),
    ("position_title", "position_title"),
    ("zone_entry_date", "zone_entry_date"),
    ("professional_title", "professional_title"),
    ("title_discipline", "title_discipline"),
    ("skill_level", "skill_level"),
    ("skill_occupation", "skill_occupation"),
    ("programme_level", "programme_level"),
    ("programme_name", "programme_name"),
    ("housing", "housing"),
)
ENTERPRISE_FIELDS = (
    ("name", "name"),
    ("short_name", "short_name"),
    ("division", "division_id"),
    ("industry", "industry_id"),
    ("scale", "scale"),
    ("founded_on", "founded_on"),
    ("registered_capital", "registered_capital"),
    ("employee_count", "employee_count"),
    ("is_key", "is_key"),
    ("is_high_tech", "is_high_tech"),
    ("address", "address"),
    ("contact_name", "contact_name"),
    ("contact_phone", "contact_phone"),
    ("description", "description"),
)
PLATFORM_FIELDS = (
    ("kind", "kind"),
    ("level", "level"),
    ("enterprise", "enterprise_id"),
    ("host_organisation", "host_organisation"),
    ("chain", "chain_id"),
    ("approved_on", "approved_on"),
    ("approved_by", "approved_by"),
    ("description", "description"),
)
PROJECT_FIELDS = (
    ("kind", "kind"),
    ("status", "status"),
    ("chain", "chain_id"),
    ("investment", "investment"),
    ("started_on", "started_on"),
    ("description", "description"),
)


@lru_cache(maxsize=65536)
def name_pinyin(name: str) -> str:
    """ "zhangsan zs": full pinyin, a space, the initials (as the demo data and search expect)."""
    syllables = [s for s in lazy_pinyin(name) if s.strip()]
    return ("".join(syllables) + " " + "".join(s[0] for s in syllables))[:120]


def _same(old: Any, new: Any) -> bool:
    """Equal for the database: blank strings and NULL alike; a Sensitive compares with its plaintext."""
    if old is None or old == "":
        return new is None or new == ""
    if new is None or new == "":
        return False
    return bool(old == new)


def _assign(
    obj: models.Model, mapping: Sequence[tuple[str, str]], values: dict[str, Any], present: set[str]
) -> list[str]:
    """Set the present columns' values on ``obj``; the attribute names that changed."""
    changed = []
    for key, attr in mapping:
        if key not in present:
            continue
        new = values[key]
        if not _same(getattr(obj, attr), new):
            setattr(obj, attr, "" if new is None and attr in _TEXT_ATTRS else new)
            changed.append(attr)
    return changed


@dataclass
class Plan:
    """What a commit would do, and the objects it would save."""

    kind: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    creates: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    updates: dict[type[models.Model], dict[int, tuple[models.Model, set[str]]]] = field(default_factory=dict)
    record_ids: Callable[[], tuple[list[int], dict[str, list[str]]]] | None = None
    primary: type[models.Model] = Talent

    @property
    def counts(self) -> dict[str, int]:
        return {"new": self.new, "update": self.updated, "unchanged": self.unchanged}

    def create(self, obj: models.Model) -> None:
        self.creates.setdefault(type(obj), []).append(obj)

    def update(self, obj: models.Model, fields: Iterable[str]) -> None:
        slot = self.updates.setdefault(type(obj), {})
        assert obj.pk is not None
        _obj, known = slot.setdefault(obj.pk, (obj, set()))
        known.update(fields)

    def _save_updates(self, model: type[models.Model]) -> None:
        entries = self.updates.get(model, {})
        if not entries:
            return
        now = timezone.now()
        has_updated_at = any(f.name == "updated_at" for f in model._meta.concrete_fields)
        by_fields: dict[tuple[str, ...], list[models.Model]] = {}
        for obj, names in entries.values():
            names = set(names)
            if model is Person and "phone" in names:
                names.add("phone_hash")
            if has_updated_at:
                obj.updated_at = now  # type: ignore[attr-defined]
                names.add("updated_at")
            by_fields.setdefault(tuple(sorted(names)), []).append(obj)
        for fields, objs in by_fields.items():
            model._default_manager.bulk_update(objs, list(fields), batch_size=BATCH // 2)

    def write(self) -> None:
        """Save everything planned, parents first; the caller holds the transaction.

        Talents and educations of new persons point at unsaved ``Person`` objects; Django
        fills in their ``person_id`` once ``bulk_create`` has given the persons their keys.
        """
        models_in_order: tuple[type[models.Model], ...] = (
            Person,
            Enterprise,
            Platform,
            Talent,
            Education,
            Project,
        )
        for model in models_in_order:
            objs: list[Any] = self.creates.get(model, [])
            if objs:
                model._default_manager.bulk_create(objs, batch_size=BATCH)
            self._save_updates(model)


def _batched(items: Sequence[Any], size: int = LOOKUP_BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _fetch(qs: models.QuerySet[Any], lookup: str, keys: Sequence[Any], lock: bool) -> list[Any]:
    out: list[Any] = []
    for chunk in _batched(keys):
        part = qs.filter(**{f"{lookup}__in": chunk}).order_by("pk")
        out += list(part.select_for_update() if lock else part)
    return out


# -- talents ---------------------------------------------------------------------


def _plan_talents(zone: Zone, rows: list[CleanRow], present: set[str], lock: bool, final: bool) -> Plan:
    plan = Plan(kind=ImportJob.Kind.TALENT, primary=Talent)
    hashes = [blind_index(r.values["id_number"].number, "id_number") for r in rows]
    persons = {
        p.id_number_hash: p for p in _fetch(Person.objects.filter(zone=zone), "id_number_hash", hashes, lock)
    }
    person_ids = [p.pk for p in persons.values()]
    talents = {
        t.person_id: t for t in _fetch(Talent.objects.filter(zone=zone), "person_id", person_ids, lock)
    }
    educations: dict[int, list[Education]] = {}
    if "university" in present:
        for edu in _fetch(Education.objects.filter(zone=zone), "person_id", person_ids, lock):
            educations.setdefault(edu.person_id, []).append(edu)
    touched: dict[str, list[str]] = {}
    created: list[Talent] = []
    for row, digest in zip(rows, hashes, strict=True):
        v = row.values
        rid = v["id_number"]
        person = persons.get(digest)
        person_new = person is None
        if person is None:
            person = Person(zone=zone, id_number=rid.number, sex=rid.sex, birth_date=rid.birth_date)
            persons[digest] = person
        changed = _assign(person, PERSON_FIELDS, v, present)
        if "name" in changed or person_new:
            # Only what is written needs its pinyin (about 30 µs a name): not the preview's counts.
            person.name_pinyin = name_pinyin(person.name) if final else ""
            changed.append("name_pinyin")
        if "phone" in present and v["phone"] and person.phone_hash != blind_index(v["phone"], "phone"):
            person.phone = v["phone"]
            person.phone_hash = blind_index(v["phone"], "phone")
            changed.append("phone")
        if person_new:
            plan.create(person)
        elif changed:
            plan.update(person, changed)
        talent = None if person_new else talents.get(person.pk)
        talent_new = talent is None
        if talent is None:
            talent = Talent(zone=zone, person=person, zone_entry_date=v["zone_entry_date"])
        talent_changed = _assign(talent, TALENT_FIELDS, v, present)
        if talent_new:
            plan.create(talent)
            created.append(talent)
        elif talent_changed:
            plan.update(talent, talent_changed)
        edu_changed = _plan_education(plan, person, person_new, educations, v, present)
        if talent_new:
            plan.new += 1
        elif changed or talent_changed or edu_changed:
            plan.updated += 1
            assert talent.pk is not None
            touched[str(talent.pk)] = [f"person.{c}" for c in changed] + talent_changed + edu_changed
        else:
            plan.unchanged += 1

    def ids() -> tuple[list[int], dict[str, list[str]]]:
        return [t.pk for t in created], touched

    plan.record_ids = ids
    return plan


def _plan_education(
    plan: Plan,
    person: Person,
    person_new: bool,
    educations: dict[int, list[Education]],
    v: dict[str, Any],
    present: set[str],
) -> list[str]:
    """The education behind the "highest degree" columns: matched by degree and university."""
    if "university" not in present or v.get("university") is None:
        return []
    existing = [] if person_new else educations.get(person.pk, [])  # type: ignore[arg-type]
    match = next(
        (e for e in existing if e.degree == v["highest_degree"] and e.university_id == v["university"]), None
    )
    if match is None:
        edu = Education(
            zone_id=person.zone_id,
            person=person,
            degree=v["highest_degree"],
            university_id=v["university"],
            major=v.get("major") or "",
            graduated_on=v.get("graduated_on"),
        )
        plan.create(edu)
        if not person_new:
            educations.setdefault(person.pk, []).append(edu)  # type: ignore[arg-type]
        return ["education"]
    changed = _assign(match, (("major", "major"), ("graduated_on", "graduated_on")), v, present)
    if changed:
        plan.update(match, changed)
    return [f"education.{c}" for c in changed]


# -- enterprises, platforms, projects ---------------------------------------------


def _plan_simple(
    zone: Zone,
    rows: list[CleanRow],
    present: set[str],
    lock: bool,
    *,
    kind: str,
    model: type[models.Model],
    mapping: Sequence[tuple[str, str]],
    key: Callable[[Any], tuple[Any, ...]],
    row_key: Callable[[dict[str, Any]], tuple[Any, ...]],
    new: Callable[[dict[str, Any]], models.Model],
    lookup: tuple[str, str],
) -> Plan:
    plan = Plan(kind=kind, primary=model)
    values = sorted({r.values[lookup[0]] for r in rows})
    existing: dict[tuple[Any, ...], models.Model] = {}
    for obj in _fetch(model._default_manager.filter(zone=zone), lookup[1], values, lock):
        existing.setdefault(key(obj), obj)
    created: list[models.Model] = []
    touched: dict[str, list[str]] = {}
    for row in rows:
        obj = existing.get(row_key(row.values))
        if obj is None:
            obj = new(row.values)
            _assign(obj, mapping, row.values, present)
            plan.create(obj)
            created.append(obj)
            plan.new += 1
            continue
        changed = _assign(obj, mapping, row.values, present)
        if changed:
            plan.update(obj, changed)
            plan.updated += 1
            touched[str(obj.pk)] = changed
        else:
            plan.unchanged += 1

    def ids() -> tuple[list[int], dict[str, list[str]]]:
        return [o.pk for o in created], touched

    plan.record_ids = ids
    return plan


def plan(
    zone: Zone, kind: str, rows: list[CleanRow], present: set[str], *, lock: bool = False, final: bool = False
) -> Plan:
    """Classify ``rows`` against the zone's records.

    ``lock``: lock the existing rows (inside the commit's transaction). ``final``: the plan
    will be written, so derive what only a write needs (the pinyin of new names).
    """
    if kind == ImportJob.Kind.TALENT:
        return _plan_talents(zone, rows, present, lock, final)
    if kind == ImportJob.Kind.ENTERPRISE:
        return _plan_simple(
            zone,
            rows,
            present,
            lock,
            kind=kind,
            model=Enterprise,
            mapping=ENTERPRISE_FIELDS,
            key=lambda e: (e.uscc,),
            row_key=lambda v: (v["uscc"],),
            new=lambda v: Enterprise(zone=zone, uscc=v["uscc"]),
            lookup=("uscc", "uscc"),
        )
    if kind == ImportJob.Kind.PLATFORM:
        return _plan_simple(
            zone,
            rows,
            present,
            lock,
            kind=kind,
            model=Platform,
            mapping=PLATFORM_FIELDS,
            key=lambda p: (p.name,),
            row_key=lambda v: (v["name"],),
            new=lambda v: Platform(zone=zone, name=v["name"]),
            lookup=("name", "name"),
        )
    return _plan_simple(
        zone,
        rows,
        present,
        lock,
        kind=kind,
        model=Project,
        mapping=PROJECT_FIELDS,
        key=lambda p: (p.name, p.enterprise_id),
        row_key=lambda v: (v["name"], v.get("enterprise")),
        new=lambda v: Project(zone=zone, name=v["name"], enterprise_id=v.get("enterprise")),
        lookup=("name", "name"),
    )
