"""Large uploads run in a background thread that commits its own transaction; the page polls progress."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from talentpark.core.models import AuditLog
from talentpark.registry.excel import importer
from talentpark.registry.models import ImportJob, Talent
from talentpark.registry.tests.factories import make_id_number

from .helpers import talent_row, upload, workbook


@pytest.mark.django_db(transaction=True)
@override_settings(TALENTPARK_IMPORT_SYNC_BYTES=0)
def test_a_background_import_shows_progress_and_refuses_a_second_one(world, monkeypatch):
    # The worker thread waits at validation until the test has seen it running, so the
    # "one import at a time" check cannot race with a fast validation.
    release = threading.Event()
    validate = importer.validate_rows

    def held_validate(*args, **kwargs):
        assert release.wait(60), "the test never released the import thread"
        return validate(*args, **kwargs)

    monkeypatch.setattr(importer, "validate_rows", held_validate)
    client = Client()
    client.force_login(world.alice)
    rows = [
        talent_row(id_number=make_id_number(dt.date(1980 + i // 20, 1 + i % 12, 1), sex="M"), birth_date=None)
        for i in range(300)
    ]
    data = workbook(rows)
    response = upload(client, "talent", data)
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    page = client.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    assert ImportJob.objects.get(pk=job.pk).is_running
    assert 'hx-trigger="every 1s"' in page
    assert upload(client, "talent", data).status_code == 409  # one import at a time
    release.set()
    importer.wait(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY and job.counts["new"] == 300
    finished = client.get(reverse("registry:import_progress", args=[job.pk]))
    assert finished["HX-Refresh"] == "true"

    before = Talent.objects.count()
    client.post(reverse("registry:import_commit", args=[job.pk]))
    importer.wait(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.message
    assert Talent.objects.count() == before + 300
    assert AuditLog.objects.filter(action="registry.import").count() == 1


@pytest.mark.django_db
def test_an_interrupted_job_is_failed_and_its_upload_swept(world, settings):
    from django.utils import timezone

    client = Client()
    client.force_login(world.alice)
    response = upload(client, "talent", workbook([talent_row()]))
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert importer.has_upload(job)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING)
    later = timezone.now() + dt.timedelta(days=2)
    importer.sweep(later)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "任务中断" in job.message
    assert not importer.has_upload(job)  # PI-12: uploads do not outlive their job window
