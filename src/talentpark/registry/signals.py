"""What the registry tells higher apps when a talent's or an enterprise's data changed.

The registry cannot import the apps above it (``policies`` re-evaluates 免申即享 benefits on a
change, others may follow), so its services *announce* a change and those apps subscribe when
they load (their ``AppConfig.ready()``):

    from talentpark.registry import signals

    def _on_change(sender, *, zone_id, talents, enterprises, reason, **kwargs):
        ...  # queue a background task; never do the work here

    signals.records_changed.connect(_on_change, dispatch_uid="myapp.on_change")

``announce`` is called by the service **inside the transaction of the change**, once per
operation (a bulk import: once for the whole batch, with every id). A receiver queues its own
background task there: with the database task backend the queued task commits — or rolls
back — with the change; with another backend it uses ``transaction.on_commit``. A receiver
must be cheap (no evaluation on the request path) and must not fail the change.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

# kwargs: zone_id (int), talents (sorted list of Talent pks), enterprises (sorted list of
# Enterprise pks), reason (a short Chinese text for the audit trail: what changed).
records_changed = Signal()


def announce(
    zone_id: int,
    *,
    talents: Iterable[int | str | None] = (),
    enterprises: Iterable[int | str | None] = (),
    reason: str = "",
) -> None:
    """Tell the subscribers that these records of ``zone_id`` changed (call inside the transaction).

    Ids may be given as text (an import's record ids); empty values are skipped."""
    talent_ids = sorted({int(pk) for pk in talents if pk})
    enterprise_ids = sorted({int(pk) for pk in enterprises if pk})
    if not talent_ids and not enterprise_ids:
        return
    records_changed.send(
        sender=announce,
        zone_id=int(zone_id),
        talents=talent_ids,
        enterprises=enterprise_ids,
        reason=reason,
    )
