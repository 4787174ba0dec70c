from django.core.management.base import BaseCommand
from django.db import transaction

from talentpark.core import codetables
from talentpark.core.models import Division, Industry, University


class Command(BaseCommand):
    help = (
        "Apply the national code tables: GB/T 2260 with its history (from the installed python-stdnum), "
        "GB/T 4754-2017, universities; idempotent (prints the rows written)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            d = codetables.load_divisions(Division)
            i = codetables.load_industries(Industry)
            u = codetables.load_universities(University, Division)
        self.stdout.write(f"divisions {d}, industries {i}, universities {u}")
