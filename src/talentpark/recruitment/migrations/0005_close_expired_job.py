"""The daily job that closes positions past their closing date."""

from django.db import migrations

JOBS = [("recruitment.close_expired", "5 0 * * *")]


def forward(apps, schema_editor):
    import datetime as dt

    from croniter import croniter
    from django.utils import timezone

    ScheduledJob = apps.get_model("core", "ScheduledJob")
    now = timezone.localtime(timezone.now()).replace(second=0, microsecond=0)
    for kind, cron in JOBS:
        if not ScheduledJob.objects.filter(kind=kind, zone__isnull=True).exists():
            nxt = croniter(cron, now).get_next(dt.datetime)
            ScheduledJob.objects.create(kind=kind, cron=cron, enabled=True, next_run_at=nxt)


def backward(apps, schema_editor):
    # Runs first, then the rows without the collector: going back through several apps' migrations,
    # the collector can meet a JobRun class rendered from another state and refuse the query.
    kinds = [k for k, _ in JOBS]
    apps.get_model("core", "JobRun").objects.filter(job__kind__in=kinds).delete()
    jobs = apps.get_model("core", "ScheduledJob").objects.filter(kind__in=kinds)
    jobs._raw_delete(jobs.db)


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0004_marketplace"),
        ("core", "0014_scheduled_jobs"),
    ]
    operations = [migrations.RunPython(forward, backward)]
