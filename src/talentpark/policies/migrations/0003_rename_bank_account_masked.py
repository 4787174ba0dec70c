from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("policies", "0002_certification_claim_claimevent_decision_ledgerentry_and_more")]

    operations = [
        migrations.RenameField("ledgerentry", "bank_account_masked", "payee_account_masked"),
    ]
