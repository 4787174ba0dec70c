from django.contrib import admin
from django.urls import include, path

from talentpark.api import api
from talentpark.core import health

admin.site.site_header = "TalentPark 人才服务平台 · 管理后台"
admin.site.site_title = "TalentPark 管理后台"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),  # for the load balancer: no login, no secrets
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("talentpark.accounts.urls")),
    path("registry/", include("talentpark.registry.urls")),
    path("policies/", include("talentpark.policies.urls")),
    path("recruitment/", include("talentpark.recruitment.urls")),
    path("housing/", include("talentpark.housing.urls")),
    path("innovation/", include("talentpark.innovation.urls")),
    path("core/", include("talentpark.core.urls")),
    path("search/", include("talentpark.core.search.urls")),
    path("signup/", include("talentpark.signup.urls")),
    path("talentcode/", include("talentpark.talentcode.urls")),
    path("desk/", include("talentpark.desk.urls")),
]
