from django.db import migrations

from talentpark.core import codetables


def load(apps, schema_editor):
    codetables.load_universities(apps.get_model("registry", "University"), apps.get_model("core", "Division"))


def unload(apps, schema_editor):
    apps.get_model("registry", "University").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial"), ("core", "0002_load_code_tables")]
    operations = [migrations.RunPython(load, unload)]
