from talentpark.accounts.access import grant, register_scope, zone_public_scope
from talentpark.accounts.roles import Role
from talentpark.innovation.models import Lecturer

register_scope(Lecturer, "innovation.lecturer")(zone_public_scope)


# Staff, HR and talents see the lecturer pool.
grant(
    {
        role: {"innovation.lecturer.view"}
        for role in (Role.TALENT, Role.HR, Role.SPECIALIST, Role.DEPT, Role.OFFICE)
    }
)
