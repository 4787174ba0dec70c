"""Leases: one holder at a time across processes (threads racing on both databases); expired ones are taken over once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from talentpark.core import leases
from talentpark.core.export import _key
from talentpark.core.models import Lease
from talentpark.core.tests.threads import race

MINUTE = dt.timedelta(minutes=1)


@pytest.mark.django_db
def test_a_held_lease_refuses_a_second_taker_until_released():
    token = leases.acquire("job:a", MINUTE)
    assert token is not None and leases.is_held("job:a")
    assert leases.acquire("job:a", MINUTE) is None
    assert leases.acquire("job:b", MINUTE) is not None  # another key is another guard
    leases.release("job:a", "not-the-token")
    assert leases.is_held("job:a")  # only its holder frees it
    leases.release("job:a", token)
    assert not leases.is_held("job:a") and leases.acquire("job:a", MINUTE) is not None


@pytest.mark.django_db
def test_an_expired_lease_is_taken_over_and_its_old_holder_can_no_longer_touch_it():
    old = leases.acquire("job:a", MINUTE)
    assert old is not None
    Lease.objects.filter(key="job:a").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert not leases.is_held("job:a")  # the holder died: nobody is working on it
    new = leases.acquire("job:a", MINUTE)
    assert new is not None and new != old
    assert not leases.renew("job:a", old, MINUTE)
    leases.release("job:a", old)  # too late: the new holder keeps it
    assert leases.is_held("job:a") and leases.renew("job:a", new, MINUTE)


@pytest.mark.django_db(transaction=True)
def test_an_export_held_by_another_web_worker_is_refused(world):
    # Another process's download: only its lease row exists, in the database.
    Lease.objects.create(
        key=_key(world.alice.pk),
        token="other-process",
        holder="web-2:4242",
        acquired_at=timezone.now(),
        expires_at=timezone.now() + MINUTE,
    )
    client = Client()
    client.force_login(world.alice)
    url = reverse("registry:talent_export")
    refused = client.post(url, {"format": "csv"})
    assert refused.status_code == 429
    assert "您已有一个导出正在进行" in refused.content.decode()
    Lease.objects.all().delete()  # that download ended
    done = client.post(url, {"format": "csv"})
    assert done.status_code == 200
    b"".join(done.streaming_content)
    done.close()
    assert not Lease.objects.exists()  # the finished download gave its lease back


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("expired", [False, True], ids=["new", "expired"])
def test_threads_racing_for_one_lease_get_exactly_one_token(expired):
    if expired:
        leases.acquire("job:race", MINUTE)
        Lease.objects.update(expires_at=timezone.now() - MINUTE)
    tokens = race(10, lambda i: leases.acquire("job:race", MINUTE))
    assert not [t for t in tokens if isinstance(t, BaseException)]
    winners = [t for t in tokens if t is not None]
    assert len(winners) == 1
    assert Lease.objects.get(key="job:race").token == winners[0]
