from django.db import migrations

from talentpark.core import codetables


def load(apps, schema_editor):
    codetables.load_divisions(apps.get_model("core", "Division"))
    codetables.load_industries(apps.get_model("core", "Industry"))


def unload(apps, schema_editor):
    apps.get_model("core", "Industry").objects.all().delete()
    apps.get_model("core", "Division").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
