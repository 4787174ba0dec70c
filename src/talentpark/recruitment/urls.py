from talentpark.recruitment.pages import LISTINGS

app_name = "recruitment"
urlpatterns = [u for listing in LISTINGS for u in listing.urls()]
