"""Embedded-mode secrets: created once under ``var/`` (git-ignored), never committed.

Production sets DJANGO_SECRET_KEY, TALENTPARK_FIELD_KEYS and TALENTPARK_BLIND_INDEX_KEY
in the environment; then no file is read or written.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

_ENV = ("DJANGO_SECRET_KEY", "TALENTPARK_FIELD_KEYS", "TALENTPARK_BLIND_INDEX_KEY")


def _new_secrets() -> dict[str, str]:
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    return {
        "secret_key": secrets.token_urlsafe(50),
        # "kid:base64(32-byte AES-256 key)"; a later key is prepended on rotation.
        "field_keys": f"k1:{key}",
        "blind_index_key": base64.b64encode(secrets.token_bytes(32)).decode(),
    }


def load_or_create_local_secrets(var_dir: Path) -> dict[str, str]:
    if all(os.environ.get(name) for name in _ENV):
        return {"secret_key": "", "field_keys": "", "blind_index_key": ""}
    path = Path(var_dir) / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    data = _new_secrets()
    # Create with 0600 atomically so a concurrent first start cannot read half a file.
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    try:
        os.link(tmp, path)  # fails if another process won the race
    except FileExistsError:
        data = json.loads(path.read_text())
    finally:
        tmp.unlink(missing_ok=True)
    return data
