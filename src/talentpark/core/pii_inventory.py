"""The personal-information inventory (PIPL art. 51): every PI field, its class, purpose, retention.

A test walks all models and fails when a field that looks like personal information is
missing here, or when a sensitive one is not encrypted. Each app registers the fields of its own
models (``pii_inventory.register(PIField(...))``); :data:`INVENTORY` is the whole list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PIField:
    label: str  # "app_label.model.field"
    sensitivity: str  # "sensitive" (PIPL art. 28) or "general"
    purpose: str
    retention: str


# The kernel's own fields; every other app registers its own with :func:`register` (in its
# ``kernel.py``, imported by its ``AppConfig.ready``).
INVENTORY: list[PIField] = [
    # SMS codes keep the phone only as its keyed blind index, for rate limits and checks.
    PIField(
        "core.smscode.phone_hash",
        "general",
        "短信验证码校验与发送频率限制（仅存密钥哈希）",
        "限流只需1天（定期清理待实现）",
    ),
    # The search index copies names (never ID numbers, phones, e-mails or birth dates) and is
    # rewritten or deleted with its record.
    PIField("core.searchdocument.title", "general", "全文检索：人才姓名等记录标题", "随源记录更新或删除"),
    PIField(
        "core.searchdocument.tokens",
        "general",
        "全文检索：姓名、拼音、单位、学历等分词",
        "随源记录更新或删除",
    ),
]


def register(*fields: PIField) -> None:
    """Add the calling app's PI fields to the inventory (once, at start-up)."""
    known = inventory_labels()
    for field in fields:
        if field.label in known:
            raise ValueError(f"{field.label} is in the inventory already")
        INVENTORY.append(field)


# Field names that always mean personal information, wherever they appear.
PI_NAME_HINTS = ("id_number", "phone", "bank_account", "mobile", "passport", "birth_date", "email")
# These kinds must be stored encrypted (EncryptedPIIField).
MUST_ENCRYPT_HINTS = ("id_number", "phone", "bank_account", "mobile", "passport")


def inventory_labels() -> set[str]:
    return {f.label for f in INVENTORY}
