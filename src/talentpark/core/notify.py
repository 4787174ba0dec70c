"""站内信 and notifications: one :func:`notify` that every app calls.

* A notice goes to users (ids or a queryset of users): one ``Notice`` row each, written in the
  caller's transaction, so a rolled-back change leaves no notice behind. It has a kind (registered
  by the app that sends it, :func:`register_kind`), a short text, a link inside the product and an
  optional expiry.
* **Channels.** The inbox always. SMS and e-mail when the kind's default or the user's preference
  (``NoticePreference``) asks for them: a ``NoticeDelivery`` row per notice and channel, sent by the
  task worker after the commit through the channel's backend (``TALENTPARK_NOTIFY_BACKENDS``:
  console backends in the demo, a real provider's class by configuration). A delivery is claimed
  with a conditional update before it is sent, so two workers never send it twice.
* **Addresses** come from the apps that hold them (:func:`register_address`): a talent's phone lives
  on her person record, which the kernel does not know. Reading it for an SMS is an unmasked read
  and the registering app logs it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, models, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string

from talentpark.core.masking import mask_phone
from talentpark.core.models import Notice, NoticeDelivery, NoticePreference

log = logging.getLogger("talentpark.notify")

INBOX, SMS, EMAIL = "inbox", "sms", "email"
CHANNELS = {INBOX: "站内信", SMS: "短信", EMAIL: "电子邮件"}
EXTERNAL = (SMS, EMAIL)
TEXT_LIMIT = 200
BATCH = 1000
UNREAD_CAP = 100  # the badge says "99+" beyond


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    channels: tuple[str, ...] = ()  # channels beyond the inbox that it reaches by default


_KINDS: dict[str, Kind] = {}


def register_kind(code: str, label: str, channels: Iterable[str] = ()) -> Kind:
    """Declare a kind of notice (from the sending app's ``apps.py``)."""
    chosen = tuple(channels)
    unknown = [c for c in chosen if c not in EXTERNAL]
    if unknown:
        raise ValueError(f"unknown channels {unknown} for notice kind {code}")
    kind = _KINDS[code] = Kind(code, label, chosen)
    return kind


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)


def kind_label(code: str) -> str:
    kind = _KINDS.get(code)
    return kind.label if kind else code


register_kind("announcement", "通知公告")
register_kind("system", "系统消息")


# ---- addresses and backends -------------------------------------------------------------------

AddressFn = Callable[[Any], str | None]
_ADDRESSES: dict[str, list[AddressFn]] = {SMS: [], EMAIL: [lambda user: user.email or None]}


def register_address(channel: str, fn: AddressFn) -> None:
    """``fn(user)`` gives the user's address for ``channel`` or None (apps' ``ready()``)."""
    _ADDRESSES[channel].append(fn)


def address(user: Any, channel: str) -> str | None:
    for fn in _ADDRESSES.get(channel, ()):
        found = fn(user)
        if found:
            return found
    return None


class Backend(Protocol):
    def send(self, address: str, notice: Notice) -> None: ...


class ConsoleSmsBackend:
    """Prints the SMS instead of sending it (the demo and development); the number masked."""

    def send(self, address: str, notice: Notice) -> None:
        print(f"[短信] {mask_phone(address)}：{notice.text}", file=sys.stdout, flush=True)


class EmailBackend:
    """Sends through Django's e-mail (``MAILERS``: the console in the demo, SMTP by configuration)."""

    def send(self, address: str, notice: Notice) -> None:
        body = notice.text + (f"\n\n{settings.TALENTPARK_SITE_URL}{notice.link}" if notice.link else "")
        send_mail(f"【人才服务平台】{kind_label(notice.kind)}", body, None, [address])


def backend(channel: str) -> Backend:
    backend_class: type[Backend] = import_string(settings.TALENTPARK_NOTIFY_BACKENDS[channel])
    return backend_class()


class MemorySmsBackend:
    """Keeps the messages in :data:`SMS_OUTBOX` (tests read verification codes from it)."""

    def send(self, address: str, notice: Notice) -> None:
        SMS_OUTBOX.append((address, notice.text))


SMS_OUTBOX: list[tuple[str, str]] = []


def send_sms(phone: str, text: str, kind: str = "system") -> None:
    """Send ``text`` to a bare phone number now, through the SMS backend (a verification code to a
    number that has no account yet). Not an inbox notice: the backend gets an unsaved ``Notice``."""
    backend(SMS).send(phone, Notice(kind=kind, text=" ".join(text.split())[:TEXT_LIMIT]))


# ---- sending ----------------------------------------------------------------------------------


def _wanted(user_ids: list[int], kind: Kind) -> dict[int, set[str]]:
    """The external channels each user gets this kind through: the kind's default, then her choice."""
    wanted = {uid: set(kind.channels) for uid in user_ids}
    for chunk in _chunks(user_ids, BATCH):
        prefs = NoticePreference.objects.filter(kind=kind.code, user_id__in=chunk).values_list(
            "user_id", "channel", "enabled"
        )
        for uid, channel, enabled in prefs:
            (wanted[uid].add if enabled else wanted[uid].discard)(channel)
    return wanted


def notify(
    kind: str,
    text: str,
    users: Iterable[int] | models.QuerySet[Any],
    *,
    link: str = "",
    zone_id: int | None = None,
    expires_at: Any = None,
) -> int:
    """Send one notice of ``kind`` to ``users`` (ids or a queryset of users); how many received it."""
    if isinstance(users, models.QuerySet):
        users = users.values_list("pk", flat=True)
    return notify_each(
        kind, [(uid, text, link) for uid in set(users)], zone_id=zone_id, expires_at=expires_at
    )


def notify_each(
    kind: str, items: Iterable[tuple[int, str, str]], *, zone_id: int | None = None, expires_at: Any = None
) -> int:
    """Send notices of ``kind``, each ``(user id, text, link)`` its own: a run telling thousands of
    people about their own claims writes them in a few statements."""
    if kind not in _KINDS:
        raise LookupError(f"notice kind {kind!r} is not registered")
    rows = []
    for uid, text, link in items:
        text = " ".join(text.split())
        if not text:
            raise ValueError("a notice needs a text")
        if link and not link.startswith("/"):
            raise ValueError("a notice links inside the product only")
        rows.append(
            Notice(
                zone_id=zone_id,
                recipient_id=uid,
                kind=kind,
                text=text[:TEXT_LIMIT],
                link=link[:300],
                expires_at=expires_at,
            )
        )
    if not rows:
        return 0
    notices = Notice.objects.bulk_create(rows, batch_size=BATCH)
    wanted = _wanted(sorted({n.recipient_id for n in notices}), _KINDS[kind])
    deliveries = NoticeDelivery.objects.bulk_create(
        [NoticeDelivery(notice=n, channel=c) for n in notices for c in sorted(wanted[n.recipient_id])],
        batch_size=BATCH,
    )
    if deliveries:
        pks = [d.pk for d in deliveries]
        transaction.on_commit(lambda: [deliver_task.enqueue(chunk) for chunk in _chunks(pks)])
    return len(notices)


def _chunks(items: list[int], size: int = 200) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@task()
def deliver_task(delivery_ids: list[int]) -> int:
    return deliver(delivery_ids)


def deliver(delivery_ids: Iterable[int]) -> int:
    """Send pending deliveries; each is claimed first, so it is sent at most once. How many sent."""
    sent = 0
    rows = NoticeDelivery.objects.filter(pk__in=list(delivery_ids), status=NoticeDelivery.Status.PENDING)
    for d in rows.select_related("notice", "notice__recipient"):
        to = address(d.notice.recipient, d.channel)
        if not to:
            NoticeDelivery.objects.filter(pk=d.pk, status=NoticeDelivery.Status.PENDING).update(
                status=NoticeDelivery.Status.NO_ADDRESS
            )
            continue
        claimed = NoticeDelivery.objects.filter(pk=d.pk, status=NoticeDelivery.Status.PENDING).update(
            status=NoticeDelivery.Status.SENT, sent_at=timezone.now()
        )
        if not claimed:
            continue  # another worker has it
        try:
            backend(d.channel).send(to, d.notice)
        except Exception as exc:  # a provider's failure must not stop the other deliveries
            log.warning("notice delivery %s over %s failed: %s", d.pk, d.channel, exc)
            NoticeDelivery.objects.filter(pk=d.pk).update(
                status=NoticeDelivery.Status.FAILED, error=str(exc)[:300]
            )
            continue
        sent += 1
    return sent


# ---- the inbox --------------------------------------------------------------------------------


def live(user: Any) -> models.QuerySet[Notice]:
    """The user's notices that have not expired, newest first."""
    now = timezone.now()
    return Notice.objects.filter(recipient=user).filter(
        models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
    )


def unread(request: Any) -> tuple[int, int, str]:
    """(unread live notices counted up to ``UNREAD_CAP``, the newest one's id, when she last read
    one) for the signed-in user, read once per request in one plain statement. Every page's top bar
    shows the count; the triple changes whenever a notice arrives, is read or expires, so it marks
    cached lists of her notices."""
    cached: tuple[int, int, str] | None = getattr(request, "_unread_notices", None)
    if cached is None:
        table = Notice._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*), COALESCE(MAX(id), 0), (SELECT MAX(read_at) FROM {table} "  # noqa: S608
                "WHERE recipient_id = %s) FROM (SELECT id FROM {table} "
                "WHERE recipient_id = %s AND read_at IS NULL AND (expires_at IS NULL OR expires_at > %s) "
                "ORDER BY id DESC LIMIT %s) t".replace("{table}", table),
                [request.user.pk, request.user.pk, timezone.now(), UNREAD_CAP],
            )
            count, newest, last_read = cursor.fetchone()
        stamp = "".join(ch for ch in str(last_read or "") if ch.isdigit())  # SQLite gives text, PG a datetime
        cached = request._unread_notices = (int(count), int(newest), stamp)
    return cached


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notices read (all of them when ``ids`` is None); how many changed."""
    qs = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def wants(user: Any, kind: Kind, channel: str) -> bool:
    return channel in _wanted([user.pk], kind)[user.pk]


def set_preferences(user: Any, chosen: set[tuple[str, str]]) -> None:
    """Store the user's choice: ``chosen`` holds the (kind, channel) pairs she wants beyond the inbox."""
    with transaction.atomic():
        for kind in kinds():
            for channel in EXTERNAL:
                NoticePreference.objects.update_or_create(
                    user=user,
                    kind=kind.code,
                    channel=channel,
                    defaults={"enabled": (kind.code, channel) in chosen},
                )
