"""Model fields for encrypted personal information and its blind index."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from talentpark.core import crypto
from talentpark.core.pii import Sensitive


class SensitiveAttribute(DeferredAttribute):
    """Wraps every assigned string in :class:`Sensitive`, so even an unsaved instance masks."""

    def __set__(self, instance: models.Model, value: Any) -> None:
        if isinstance(value, str):
            value = Sensitive(self.field.kind, plain=value) if value else None  # type: ignore[attr-defined]
        instance.__dict__[self.field.attname] = value


class EncryptedPIIField(models.TextField):
    """Stores ``v1:aesgcm:kid:…``; reads back as a self-masking :class:`Sensitive`.

    Only ``isnull`` look-ups make sense (ciphertexts are randomised): look up by the
    companion :class:`BlindIndexField` instead.
    """

    description = "Encrypted personal information"
    descriptor_class = SensitiveAttribute

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Sensitive | None:
        if value is None or value == "":
            return None
        return Sensitive(self.kind, token=value)

    def to_python(self, value: Any) -> Sensitive | None:
        if value is None or value == "" or isinstance(value, Sensitive):
            return value or None
        return Sensitive(self.kind, plain=str(value))

    def get_prep_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, Sensitive):
            return value.token
        return crypto.encrypt(str(value), self.kind)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise ValidationError(f"encrypted field supports only isnull look-ups, not {lookup_name}")
        return super().get_lookup(lookup_name)

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return str(value) if value else ""


class BlindIndexField(models.CharField):
    """HMAC of the normalised source field, recomputed on every save (incl. bulk_create)."""

    def __init__(self, *args: Any, source: str, kind: str, **kwargs: Any) -> None:
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        kwargs.pop("editable", None)
        if kwargs.get("max_length") == 64:
            kwargs.pop("max_length")
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        value = getattr(model_instance, self.source)
        if isinstance(value, Sensitive):
            value = value.plaintext_for_processing()
        digest = crypto.blind_index(value, self.kind) if value else None
        setattr(model_instance, self.attname, digest)
        return digest
