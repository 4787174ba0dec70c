"""Account operations: each owns its transaction and writes one audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from talentpark.accounts.models import APIToken, User
from talentpark.core import audit
from talentpark.core.context import ActionContext


def issue_api_token(ctx: ActionContext, user: User, name: str, days: int = 365) -> tuple[APIToken, str]:
    """Create a bearer token for ``user``; the key is returned once and only its hash is stored."""
    with transaction.atomic():
        token, key = APIToken.issue(user, name)
        token.expires_at = timezone.now() + dt.timedelta(days=days)
        token.save(update_fields=["expires_at"])
        audit.record(
            ctx,
            "api_token.issue",
            token,
            zone_id=user.zone_id,
            after={"user": user.username, "name": name, "prefix": token.prefix, "days": days},
        )
    return token, key


def revoke_api_token(ctx: ActionContext, token: APIToken) -> None:
    with transaction.atomic():
        APIToken.objects.filter(pk=token.pk).update(revoked=True)
        audit.record(
            ctx,
            "api_token.revoke",
            token,
            zone_id=token.user.zone_id,
            before={"revoked": False},
            after={"revoked": True},
        )


def change_password(ctx: ActionContext, form: Any) -> User:
    """Save a validated ``PasswordChangeForm`` (old password checked, validators passed); audited."""
    with transaction.atomic():
        user = form.save()
        audit.record(ctx, "account.password_change", user, zone_id=user.zone_id)
    return user  # type: ignore[no-any-return]
