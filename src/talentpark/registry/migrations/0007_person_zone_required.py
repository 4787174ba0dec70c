"""Persons become zone-owned (step 3 of 3): ``zone`` required; one person per ID number per zone."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_split_persons_by_zone")]

    operations = [
        *[
            migrations.AlterField(
                model_name=model,
                name="zone",
                field=models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="core.zone",
                    verbose_name="园区",
                ),
            )
            for model in ("person", "education", "familymember")
        ],
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                fields=("zone", "id_number_hash"), name="uniq_person_id_number_per_zone"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["zone", "phone_hash"], name="person_zone_phone_idx"),
        ),
    ]
