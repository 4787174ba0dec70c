"""The ``talentpark`` console script: Django's manage.py plus the project's own commands.

``talentpark demo --scale seed`` and ``talentpark serve`` are management commands, so every
Django command (migrate, createsuperuser, …) works the same way.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpark.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["talentpark", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
