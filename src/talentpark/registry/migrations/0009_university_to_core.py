"""院校 moved to core (``core/0016_university``): registry keeps no model of its own.

State only: the educations' foreign key already points at the table core renamed, with the same
ids, so nothing in the database changes here. The model's content type moves along (when core
has none yet), so the admin's history and any permission granted on it stay attached.
"""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, old="registry", new="core"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="university").exists():
        ContentType.objects.filter(app_label=old, model="university").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="core", new="registry")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0016_university"),
        ("registry", "0008_profilechange"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="education",
                    name="university",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="core.university", verbose_name="院校"
                    ),
                ),
                migrations.DeleteModel(name="University"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
