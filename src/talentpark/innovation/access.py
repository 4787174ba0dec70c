from talentpark.accounts.access import register_scope, zone_public_scope
from talentpark.innovation.models import Lecturer

register_scope(Lecturer, "innovation.lecturer")(zone_public_scope)
