from talentpark.accounts.access import register_scope, zone_public_scope
from talentpark.policies.models import Policy

register_scope(Policy, "policies.policy")(zone_public_scope)
