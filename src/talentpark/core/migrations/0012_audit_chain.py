"""Hash-chain the audit and PII-access logs; on PostgreSQL refuse UPDATE and DELETE of their rows.

Existing rows are chained per zone in id order (``core.auditchain.chain_existing``). The trigger
is created last, after the rows have been numbered. ``TRUNCATE`` is not affected (a row trigger).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from talentpark.core import auditchain

LOGS = (("AuditLog", "core.auditlog", "core_auditlog"), ("PIIAccessLog", "core.piiaccesslog", "core_piiaccesslog"))

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION talentpark_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '审计记录只能追加，不能修改或删除（% on %）', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def chain_existing(apps, schema_editor):
    head_model = apps.get_model("core", "AuditChain")
    for name, label, _table in LOGS:
        auditchain.chain_existing(apps.get_model("core", name), head_model, label)


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TRIGGER_FUNCTION, params=None)  # no placeholders: the % are plpgsql's
    for _name, _label, table in LOGS:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION talentpark_append_only()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _name, _label, table in LOGS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS talentpark_append_only()")


def _chain_fields(model_name):
    return [
        migrations.AddField(
            model_name=model_name,
            name="seq",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="链内序号"),
        ),
        migrations.AddField(
            model_name=model_name,
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="上一条哈希"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name=model_name,
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="本条哈希"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name=model_name,
            name="at",
            field=models.DateTimeField(db_index=True, verbose_name="时间"),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_province"),
        ("core", "0009_announcements"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChain",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("log", models.CharField(max_length=32, verbose_name="日志")),
                ("zone_key", models.BigIntegerField(verbose_name="园区（0=无园区）")),
                ("seq", models.BigIntegerField(default=0, verbose_name="条数")),
                ("head", models.CharField(max_length=64, verbose_name="最后一条哈希")),
            ],
            options={
                "verbose_name": "审计哈希链",
                "verbose_name_plural": "审计哈希链",
                "constraints": [
                    models.UniqueConstraint(fields=("log", "zone_key"), name="core_auditchain_one_per_zone")
                ],
            },
        ),
        *_chain_fields("auditlog"),
        *_chain_fields("piiaccesslog"),
        migrations.AlterField(
            model_name="piiaccesslog",
            name="zone_id",
            field=models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name="园区"),
        ),
        migrations.AlterField(
            model_name="auditlog",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作人",
            ),
        ),
        migrations.AlterField(
            model_name="piiaccesslog",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="查看人",
            ),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditlog",
            name="seq",
            field=models.BigIntegerField(editable=False, verbose_name="链内序号"),
        ),
        migrations.AlterField(
            model_name="piiaccesslog",
            name="seq",
            field=models.BigIntegerField(editable=False, verbose_name="链内序号"),
        ),
        migrations.AddConstraint(
            model_name="auditlog",
            constraint=models.UniqueConstraint(fields=("zone_id", "seq"), name="core_auditlog_chain_seq"),
        ),
        migrations.AddConstraint(
            model_name="auditlog",
            constraint=models.UniqueConstraint(
                condition=models.Q(("zone_id__isnull", True)), fields=("seq",), name="core_auditlog_chain_seq_no_zone"
            ),
        ),
        migrations.AddConstraint(
            model_name="piiaccesslog",
            constraint=models.UniqueConstraint(fields=("zone_id", "seq"), name="core_piiaccesslog_chain_seq"),
        ),
        migrations.AddConstraint(
            model_name="piiaccesslog",
            constraint=models.UniqueConstraint(
                condition=models.Q(("zone_id__isnull", True)),
                fields=("seq",),
                name="core_piiaccesslog_chain_seq_no_zone",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
