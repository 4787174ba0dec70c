from talentpark.accounts.access import register_scope, zone_public_scope
from talentpark.housing.models import ApartmentUnit

register_scope(ApartmentUnit, "housing.apartment")(zone_public_scope)
