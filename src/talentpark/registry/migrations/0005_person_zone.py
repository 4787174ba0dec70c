"""Persons become zone-owned (step 1 of 3): nullable ``zone`` on persons, educations, family."""

import django.db.models.deletion
from django.db import migrations, models

import talentpark.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_search_document"),
        ("registry", "0004_person_bank_account_person_bank_name_and_more"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="id_number_hash",
            field=talentpark.core.fields.BlindIndexField(kind="id_number", null=True, source="id_number"),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone_hash",
            field=talentpark.core.fields.BlindIndexField(kind="phone", null=True, source="phone"),
        ),
        *[
            migrations.AddField(
                model_name=model,
                name="zone",
                field=models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="core.zone",
                    verbose_name="园区",
                ),
            )
            for model in ("person", "education", "familymember")
        ],
    ]
