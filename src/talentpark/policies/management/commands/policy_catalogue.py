"""``talentpark policy_catalogue``: print (or --write) docs/policy-rules.md from the field catalogue."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from talentpark.policies.catalogue import render_markdown

DOC = Path(__file__).resolve().parents[5] / "docs" / "policy-rules.md"


class Command(BaseCommand):
    help = "Render the policy rule field catalogue as Markdown."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--write", action="store_true", help=f"write {DOC}")

    def handle(self, *args, write: bool, **options):  # type: ignore[no-untyped-def]
        text = render_markdown()
        if write:
            DOC.write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"wrote {DOC}")
        else:
            self.stdout.write(text)
