"""院校 joins the code tables in core: the model moves from ``registry`` with its rows and ids.

The table already exists (``registry/0001_initial`` created it, ``registry/0002`` loaded it), so
core takes the model into its state without touching the database, then renames the table to
``core_university``. The rename is safe on both databases: PostgreSQL's foreign keys follow the
table itself (and the id's identity sequence stays attached to its column), and SQLite ≥ 3.26
rewrites the ``REFERENCES`` clause of ``registry_education`` (Django keeps ``legacy_alter_table``
off). ``registry/0009_university_to_core`` then points ``Education.university`` at this model and
drops ``registry.University`` from registry's state, again without a database operation.

Order: this migration needs registry's table (so it depends on registry's last migration before
the move), and registry 0009 needs this model, so ``migrate`` runs registry ≤ 0008 → core 0016 →
registry 0009, from zero and from main's schema alike.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0015_sms_codes"),
        ("registry", "0008_profilechange"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="University",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=80, unique=True, verbose_name="院校名称")),
                        ("kind", models.CharField(default="本科", max_length=8, verbose_name="办学层次")),
                        ("is_985", models.BooleanField(default=False, verbose_name="985工程")),
                        ("is_211", models.BooleanField(default=False, verbose_name="211工程")),
                        ("is_double_first_class", models.BooleanField(default=False, verbose_name="双一流")),
                        ("is_foreign", models.BooleanField(default=False, verbose_name="境外院校")),
                        (
                            "province",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="core.division",
                                verbose_name="所在省份",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "院校",
                        "verbose_name_plural": "院校",
                        "ordering": ["name"],
                        "db_table": "registry_university",  # the existing table, until the rename below
                    },
                ),
            ],
            database_operations=[],
        ),
        # None = the default name, core_university (what the model declares by saying nothing).
        migrations.AlterModelTable(name="university", table=None),
    ]
