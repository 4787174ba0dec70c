"""The acting context handed to every service function.

Services never reach for a "current request": the view builds one of these and passes
it down, so the same operation runs from a page, the API, a task or a command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from talentpark.accounts.models import User


@dataclass(frozen=True)
class ActionContext:
    user: User | None
    role: str = "system"
    zone_id: int | None = None
    ip: str = ""
    request_id: str = ""
    reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def system(cls, reason: str = "", zone_id: int | None = None) -> ActionContext:
        return cls(user=None, role="system", zone_id=zone_id, reason=reason)

    @classmethod
    def from_request(cls, request: Any, reason: str = "") -> ActionContext:
        user = request.user if request.user.is_authenticated else None
        return cls(
            user=user,
            role=getattr(user, "role", "anonymous") if user else "anonymous",
            zone_id=getattr(user, "zone_id", None) if user else None,
            ip=client_ip(request),
            request_id=getattr(request, "request_id", ""),
            reason=reason,
        )

    def as_payload(self) -> dict[str, Any]:
        """What a background task needs to act as this context again (JSON; the user by id)."""
        return {
            "user_id": self.user.pk if self.user is not None else None,
            "role": self.role,
            "zone_id": self.zone_id,
            "ip": self.ip,
            "request_id": self.request_id,
            "reason": self.reason,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ActionContext:
        """The context :meth:`as_payload` described, with its user read again."""
        from django.contrib.auth import get_user_model

        user_id = payload.get("user_id")
        user = get_user_model()._default_manager.filter(pk=user_id).first() if user_id else None
        return cls(
            user=user,  # type: ignore[arg-type]
            role=str(payload.get("role") or "system"),
            zone_id=payload.get("zone_id"),
            ip=str(payload.get("ip") or ""),
            request_id=str(payload.get("request_id") or ""),
            reason=str(payload.get("reason") or ""),
        )


def client_ip(request: Any) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""
