from talentpark.accounts.access import grant, register_scope, zone_public_scope
from talentpark.accounts.roles import Role
from talentpark.housing.models import ApartmentUnit

register_scope(ApartmentUnit, "housing.apartment")(zone_public_scope)


# Everyone of the zone but partners, ambassadors and the province sees the apartment list.
grant(
    {
        role: {"housing.apartment.view"}
        for role in (Role.TALENT, Role.HR, Role.SPECIALIST, Role.DEPT, Role.OFFICE)
    }
)
