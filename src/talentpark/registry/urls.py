from talentpark.registry.pages import LISTINGS
from talentpark.registry.views import enterprise_edit, unmask_pii

app_name = "registry"

from django.urls import path  # noqa: E402

urlpatterns = [u for listing in LISTINGS for u in listing.urls()] + [
    path("enterprise/<int:pk>/edit/", enterprise_edit, name="enterprise_edit"),
    path("talent/<int:pk>/unmask/", unmask_pii, name="talent_unmask"),
]
