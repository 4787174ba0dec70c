from talentpark.policies.pages import LISTINGS

app_name = "policies"
urlpatterns = [u for listing in LISTINGS for u in listing.urls()]
