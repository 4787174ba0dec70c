"""人才公寓 in the shell (see ``core.shell``)."""

from django.utils.translation import gettext_noop

from talentpark.core import shell
from talentpark.housing.models import ApartmentUnit

shell.nav("服务保障", "人才公寓", "housing:apartment_list", "housing.apartment.view", order=10)
shell.talent_nav("人才公寓", "housing:apartment_list", "housing.apartment.view", order=60)
shell.home_stat(
    gettext_noop("可分配公寓"), ApartmentUnit, {"status": "available"}, "housing:apartment_list", order=70
)
