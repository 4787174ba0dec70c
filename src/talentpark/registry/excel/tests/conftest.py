"""Each test gets its own ``var/`` for uploads and export files (xdist workers share TALENTPARK_VAR)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
