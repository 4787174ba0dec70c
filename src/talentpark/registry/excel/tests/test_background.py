"""Large uploads are queued for the task worker, which writes their progress into the job row; the page polls it."""

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
def test_a_queued_import_runs_in_the_worker_with_its_progress_in_the_database(world, monkeypatch, task_queue):
    # The worker is held inside validation until the test has read the progress page and
    # tried a second upload, so neither check can race with a fast validation.
    inside, release = threading.Event(), threading.Event()
    validate = importer.validate_rows

    def held_validate(*args, **kwargs):
        inside.set()
        assert release.wait(60), "the test never released the worker"
        return validate(*args, **kwargs)

    monkeypatch.setattr(importer, "validate_rows", held_validate)
    client = Client()
    client.force_login(world.alice)
    rows = [
        talent_row(id_number=make_id_number(dt.date(1980 + i // 20, 1 + i % 12, 1), sex="M"), birth_date=None)
        for i in range(300)
    ]
    data = workbook(rows)
    assert upload(client, "talent", data).status_code == 302
    job = ImportJob.objects.latest("pk")
    assert (job.status, job.phase) == (ImportJob.Status.VALIDATING, "queued")  # no worker yet
    page = client.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "排队等待后台处理" in page

    task_queue.start_worker()  # started after the upload: the queue outlives a restart
    assert inside.wait(60)
    # The worker (another thread, its own connection) wrote the phase and the row count: the
    # page, answered here, reads them from the database as any web worker would.
    progress = client.get(reverse("registry:import_progress", args=[job.pk])).content.decode()
    assert "逐行校验" in progress and "0 / 300 行" in progress
    assert upload(client, "talent", data).status_code == 409  # one import at a time, across processes
    release.set()
    task_queue.stop()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY and job.counts["new"] == 300 and job.phase == ""
    finished = client.get(reverse("registry:import_progress", args=[job.pk]))
    assert finished["HX-Refresh"] == "true"

    before = Talent.objects.count()
    client.post(reverse("registry:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.phase) == (ImportJob.Status.COMMITTING, "queued")
    assert task_queue.pending() == 1
    task_queue.run_pending()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.message
    assert Talent.objects.count() == before + 300
    entry = AuditLog.objects.get(action="registry.import")
    assert entry.actor_id == world.alice.pk  # the worker acted as the person who confirmed


@pytest.mark.django_db(transaction=True)
@override_settings(TALENTPARK_IMPORT_SYNC_BYTES=0)
def test_a_step_whose_job_was_swept_meanwhile_does_nothing(world, task_queue):
    client = Client()
    client.force_login(world.alice)
    assert upload(client, "talent", workbook([talent_row()])).status_code == 302
    job = ImportJob.objects.latest("pk")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, message="任务中断")
    task_queue.run_pending()
    job.refresh_from_db()
    assert (job.status, job.message) == (ImportJob.Status.FAILED, "任务中断")
    assert task_queue.pending() == 0


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
