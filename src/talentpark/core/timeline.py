"""一码归集: one timeline of everything that happened to a talent in the zone.

The kernel knows no app's model. Each app that holds a talent's history registers a *source*
for one kind of event, once, from its ``AppConfig.ready()`` (or a module imported there):

    from talentpark.core import timeline

    def _leases(talent, viewer):  # the talent's zone record, and who is looking
        for lease in Lease.objects.filter(talent=talent):
            yield timeline.TimelineEvent(at=lease.signed_at, title="签订人才公寓租约", url=...)

    timeline.register_source("housing", gettext_noop("住房保障"), _leases)

:func:`events_for` calls the sources (all, or those of the kinds asked for), merges their events
newest first and stamps each with its kind, the kind's label and the source's app. The caller has
already checked that ``viewer`` may see the subject (``get_for`` on the talent); a source still
answers for what the viewer may open: a record she cannot open is an event without a link, and no
title or detail holds unmasked personal data (use ``Sensitive.masked`` or leave it out).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Source = Callable[[Any, Any], Iterable["TimelineEvent"]]


@dataclass(frozen=True)
class TimelineEvent:
    """One thing that happened to a talent: when, what (a Chinese title and detail), where to look.

    ``kind``, ``kind_label`` and ``source`` are filled in by :func:`events_for` from the
    registration when a source leaves them empty; ``url`` is empty when the viewer may not open
    the record (or there is none).
    """

    at: dt.datetime
    title: str
    detail: str = ""
    url: str = ""
    kind: str = ""
    kind_label: str = ""
    source: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class _Registered:
    kind: str
    label: str
    fn: Source
    source: str
    order: int


_SOURCES: dict[str, _Registered] = {}


def _app_of(fn: Source) -> str:
    """``talentpark.policies.timeline`` → ``policies`` (the app that owns the data)."""
    parts = (getattr(fn, "__module__", "") or "").split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "talentpark" else parts[0]


def register_source(kind: str, label: str, fn: Source, *, source: str = "") -> None:
    """Declare ``fn(subject, viewer) -> iterable of TimelineEvent`` as the source of ``kind``.

    ``kind`` is a short code (the filter's value, the API's ``kind``), ``label`` its Chinese name
    (a msgid, translated where shown). One source per kind: registering a kind again replaces it
    (a reloaded module, a test) and keeps its place among the filters.
    """
    if not kind or not kind.replace("_", "").isalnum() or len(kind) > 20:
        raise ValueError(f"timeline kind must be a short code, not {kind!r}")
    order = _SOURCES[kind].order if kind in _SOURCES else len(_SOURCES)
    _SOURCES[kind] = _Registered(kind, label, fn, source or _app_of(fn), order)


def unregister_source(kind: str) -> None:
    """Remove a kind's source (tests that registered one clean up with this)."""
    _SOURCES.pop(kind, None)


def kinds() -> list[tuple[str, str]]:
    """(kind, label) of every registered source, in the order they were registered."""
    return [(r.kind, r.label) for r in sorted(_SOURCES.values(), key=lambda r: r.order)]


def events_for(
    subject: Any, viewer: Any, kinds: Sequence[str] | None = None, limit: int | None = None
) -> list[TimelineEvent]:
    """The subject's events from every source (or those of ``kinds``), newest first.

    Unknown kinds are ignored. Events at the same moment keep the sources' order and each
    source's own order. ``limit`` keeps the newest ``limit`` events.
    """
    from django.utils.translation import gettext

    wanted = set(kinds) if kinds else None
    merged: list[TimelineEvent] = []
    for reg in sorted(_SOURCES.values(), key=lambda r: r.order):
        if wanted is not None and reg.kind not in wanted:
            continue
        for event in reg.fn(subject, viewer):
            if event.at.tzinfo is None or event.at.utcoffset() is None:
                raise ValueError(f"timeline source {reg.kind!r} gave a naive datetime: {event.at!r}")
            merged.append(
                dataclasses.replace(
                    event,
                    kind=event.kind or reg.kind,
                    kind_label=event.kind_label or gettext(reg.label),
                    source=event.source or reg.source,
                )
            )
    merged.sort(key=lambda e: e.at, reverse=True)  # stable: ties keep the sources' order
    return merged if limit is None else merged[: max(0, limit)]


def day_start(day: dt.date) -> dt.datetime:
    """An aware datetime for a date-only fact (入区时间): the start of that day in local time."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class TimelinePage:
    """One page of a timeline, the same for the page and the API."""

    events: list[TimelineEvent]
    number: int
    page_size: int
    count: int

    @property
    def has_next(self) -> bool:
        return self.number * self.page_size < self.count

    @property
    def next_number(self) -> int:
        return self.number + 1


def known_kinds(asked: Iterable[str]) -> list[str]:
    """The registered kinds among ``asked`` (a query string's ``kind`` values), in registered order."""
    wanted = {str(k) for k in asked}
    return [k for k, _label in kinds() if k in wanted]


def page(subject: Any, viewer: Any, kinds: Sequence[str] | None, number: int, page_size: int) -> TimelinePage:
    """Page ``number`` (from 1; beyond the last gives an empty page) of the subject's timeline."""
    number, page_size = max(1, number), max(1, page_size)
    events = events_for(subject, viewer, kinds)
    start = (number - 1) * page_size
    return TimelinePage(events[start : start + page_size], number, page_size, len(events))
