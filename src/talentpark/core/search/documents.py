"""What each app tells the search: its kinds of records, how to build their documents, facet labels.

An app registers one :class:`SearchKind` per model in its ``search_documents.py`` (imported
from its ``apps.py`` ``ready()``). The kind's ``build`` turns one record (fetched with
``queryset()``, so related rows come in the same few queries) into a :class:`Document`: plain
strings and facet values, no tokens. :mod:`talentpark.core.search.index` cuts and stores it.

Personal data: a document may carry a person's name (and its pinyin), employer, degree,
majors and titles, never an ID number, a phone, an e-mail, an address of a person or a
birth date. ``summary`` is shown to every user who may see the record, so it holds only
what the record's list page shows unmasked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_noop


@dataclass
class Document:
    """One record as the search sees it, before segmentation."""

    zone_id: int
    object_id: int
    title: str
    summary: str = ""
    # Title-like strings (an enterprise's short name, a position's title …): their tokens are
    # "name tokens" and weigh more; each is also indexed whole (the exact-name bonus).
    names: Sequence[str] = ()
    # (name, stored "zhangsan zs" pinyin) of the person the record is about, if any.
    person: tuple[str, str] | None = None
    # Names whose pinyin is indexed (full and initials), e.g. an enterprise's short name.
    pinyin_names: Sequence[str] = ()
    texts: Sequence[str] = ()
    # Zone terms this record contributes to the segmentation dictionary.
    terms: Sequence[str] = ()
    industry: str = ""
    chains: Sequence[int] = ()
    roles: Sequence[str] = ()
    degree: str = ""
    professional_title: str = ""
    tier: str = ""
    category: str = ""
    year: int | None = None


@dataclass(frozen=True)
class SearchKind:
    """A model the search indexes, and how."""

    kind: str  # "talent", "enterprise" … (stored in SearchDocument.kind)
    model: type[models.Model]
    label: str  # Chinese, shown as the result's type
    url_name: str  # the Listing's detail URL name, e.g. "registry:talent_detail"
    queryset: Callable[[], models.QuerySet[Any]]
    build: Callable[[Any], Document | None]  # None: the record is not searchable
    # Other kinds whose documents copy text from this kind's records: kind → the look-up
    # that finds this kind's rows from theirs, e.g. on "talent": {"enterprise": "employer_id"}.
    follows: Mapping[str, str] = field(default_factory=dict)
    order: int = 100  # position of the kind in tabs and facets


_KINDS: dict[str, SearchKind] = {}


def register_kind(kind: SearchKind) -> SearchKind:
    _KINDS[kind.kind] = kind
    return kind


def kinds() -> list[SearchKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.kind))


def get_kind(model_or_label: type[models.Model] | str) -> SearchKind:
    """A registered kind by model class, ``"app_label.Model"`` label, or kind name."""
    for kind in _KINDS.values():
        if model_or_label is kind.model:
            return kind
        if isinstance(model_or_label, str) and model_or_label.lower() in (
            kind.kind,
            kind.model._meta.label_lower,
        ):
            return kind
    raise LookupError(f"no search kind registered for {model_or_label!r}")


# -- facets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetSpec:
    """A facet: the GET parameter, its Chinese label and its SearchDocument column."""

    param: str
    label: str
    column: str
    multi: bool = False  # " v1  v2 " columns (an enterprise may sit on several chains)


FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("industry", gettext_noop("行业"), "f_industry"),
    FacetSpec("chain", gettext_noop("产业链"), "f_chains", multi=True),
    FacetSpec("role", gettext_noop("链上角色"), "f_roles", multi=True),
    FacetSpec("degree", gettext_noop("学历"), "f_degree"),
    FacetSpec("title", gettext_noop("职称"), "f_title"),
    FacetSpec("tier", gettext_noop("人才层次"), "f_tier"),
    FacetSpec("category", gettext_noop("类型"), "f_category"),
    FacetSpec("year", gettext_noop("年份"), "f_year"),
)
FACET_BY_PARAM = {f.param: f for f in FACETS}

LabelFn = Callable[[Iterable[str]], Mapping[str, str]]
_FACET_LABELS: dict[str, list[LabelFn]] = {}


def register_facet_labels(param: str, labels: LabelFn | Mapping[str, str]) -> None:
    """Register how a facet's stored values read: a mapping, or ``fn(values) -> {value: label}``
    (for labels that live in a table, such as chain names)."""
    if callable(labels):
        _FACET_LABELS.setdefault(param, []).append(labels)
        return
    fixed = {str(k): str(v) for k, v in labels.items()}

    def from_mapping(values: Iterable[str]) -> Mapping[str, str]:
        return fixed

    _FACET_LABELS.setdefault(param, []).append(from_mapping)


def facet_labels(param: str, values: Iterable[str]) -> dict[str, str]:
    wanted = [v for v in values if v]
    found: dict[str, str] = {}
    for fn in _FACET_LABELS.get(param, []):
        found.update({str(k): str(v) for k, v in fn(wanted).items() if str(k) in wanted})
    return found


class TimedLabels:
    """A whole label table read at most every ``ttl`` seconds (facet labels are looked up on
    every search; the tables behind them — industries, chains — almost never change)."""

    instances: list[TimedLabels] = []

    def __init__(self, load: Callable[[], Mapping[str, str]], ttl: float = 300.0) -> None:
        self._load, self._ttl = load, ttl
        self._labels: Mapping[str, str] = {}
        self._at = -ttl
        TimedLabels.instances.append(self)

    def clear(self) -> None:
        self._at = -self._ttl

    @classmethod
    def clear_all(cls) -> None:
        """Forget every table (after writes to the index, which may follow renamed chains)."""
        for labels in cls.instances:
            labels.clear()

    def __call__(self, values: Iterable[str]) -> Mapping[str, str]:
        if time.monotonic() - self._at > self._ttl:
            self._labels, self._at = self._load(), time.monotonic()
        return {v: self._labels[v] for v in values if v in self._labels}


def _industries() -> dict[str, str]:
    from talentpark.core.models import Industry

    return dict(Industry.objects.filter(level=Industry.Level.DIVISION).values_list("code", "name"))


_industry_labels = TimedLabels(_industries, ttl=3600.0)


def _register_core_labels() -> None:
    from talentpark.core.codes import Degree, ProfessionalTitle

    register_facet_labels("industry", _industry_labels)
    register_facet_labels("degree", {str(v): str(label) for v, label in Degree.choices})
    register_facet_labels("title", {str(v): str(label) for v, label in ProfessionalTitle.choices})
    register_facet_labels("year", lambda values: {v: v for v in values})


_register_core_labels()
