from django.core.management.base import BaseCommand

from talentpark.core.keyrotation import rotate


class Command(BaseCommand):
    help = "Re-encrypt personal data under the active key of TALENTPARK_FIELD_KEYS (old keys must still be listed)."

    def handle(self, *args, **options):
        self.stdout.write(f"re-encrypted {rotate()} values")
