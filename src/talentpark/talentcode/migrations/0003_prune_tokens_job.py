"""The nightly pruning of expired 人才码 tokens, as a scheduled-job row the office can change."""

from django.db import migrations

JOBS = [("talentcode.prune_tokens", "45 3 * * *")]  # every day at 03:45


def create_jobs(apps, schema_editor):
    import datetime as dt

    from croniter import croniter
    from django.utils import timezone

    ScheduledJob = apps.get_model("core", "ScheduledJob")
    now = timezone.localtime(timezone.now()).replace(second=0, microsecond=0)
    for kind, cron in JOBS:
        if not ScheduledJob.objects.filter(kind=kind, zone__isnull=True).exists():
            nxt = croniter(cron, now).get_next(dt.datetime)
            ScheduledJob.objects.create(kind=kind, cron=cron, enabled=True, next_run_at=nxt)


def remove_jobs(apps, schema_editor):
    # Runs first, then the rows without the collector: going back through several apps' migrations,
    # the collector can meet a JobRun class rendered from another state and refuse the query.
    kinds = [k for k, _ in JOBS]
    apps.get_model("core", "JobRun").objects.filter(job__kind__in=kinds).delete()
    jobs = apps.get_model("core", "ScheduledJob").objects.filter(kind__in=kinds)
    jobs._raw_delete(jobs.db)


class Migration(migrations.Migration):
    dependencies = [
        ("talentcode", "0002_partner_partnerconsent_partnerwindow_partneraccount_and_more"),
        ("core", "0014_scheduled_jobs"),
    ]
    operations = [migrations.RunPython(create_jobs, remove_jobs)]
