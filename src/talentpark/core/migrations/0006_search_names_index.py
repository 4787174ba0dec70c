"""Search: a full-text index over the records' name tokens, and the weight-ordered index.

Both serve the top-k cut (``core.search.engine._ranked_top``): the names index finds the
matches a query can score above ``weight × Σ idf``; the weight index walks the others in
score order. The names index is filled from the stored rows (no document is rebuilt).
"""

from django.db import migrations, models

from talentpark.core.search import backends


def create_names_index(apps, schema_editor):
    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        backends.create_index(schema_editor.connection)


def drop_names_index(apps, schema_editor):
    conn = schema_editor.connection
    statements = {"sqlite": backends.SQLITE_DROP[:4], "postgresql": backends.POSTGRES_DROP[:2]}
    with conn.cursor() as cursor:
        for sql in statements.get(conn.vendor, ()):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_full_code_tables_and_synonyms"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["-weight", "kind", "object_id"], name="core_search_weight_idx"),
        ),
        migrations.RunPython(create_names_index, drop_names_index),
    ]
