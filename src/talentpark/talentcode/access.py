"""Who may do what with 人才码. The key list (``/talentcode/keys.json``) is public on purpose; signing
keys are kept by the system (``talentcode.keys``), seen read-only in the admin.

- a talent sees her own code and sets her consents (``talentcode.code.own``);
- a partner window's account verifies codes and records services (``talentcode.scan``), for its
  own institution only (``services.account_of``);
- the office sees partners, scans and service records of its zone (``talentcode.partner.view``)
  and manages partners, windows, services, window accounts and stops codes
  (``talentcode.partner.change``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from talentpark.accounts.access import grant, register_scope, zone_q
from talentpark.accounts.roles import Role
from talentpark.talentcode.models import GreenService, Partner, Scan, ServiceRecord, TalentCode


def _office_zone(user: Any, qs: QuerySet[Any], action: str) -> QuerySet[Any]:
    return qs.filter(zone_q(user)) if action == "view" and user.role == Role.OFFICE else qs.none()


for model, perm in (
    (Partner, "talentcode.partner"),
    (GreenService, "talentcode.partner"),
    (Scan, "talentcode.partner"),
    (ServiceRecord, "talentcode.partner"),
    (TalentCode, "talentcode.partner"),
):
    register_scope(model, perm)(_office_zone)

grant(
    {
        Role.TALENT: {"talentcode.code.own"},
        Role.PARTNER: {"talentcode.scan"},
        Role.OFFICE: {"talentcode.partner.view", "talentcode.partner.change"},
    }
)
