"""Roles and data scopes live in the kernel (``core.roles``); re-exported for the apps that
import them from here."""

from __future__ import annotations

from talentpark.core.roles import DEFAULT_SCOPE, PEOPLE_VIEW, STAFF_ROLES, DataScope, Role

__all__ = ["DEFAULT_SCOPE", "PEOPLE_VIEW", "STAFF_ROLES", "DataScope", "Role"]
