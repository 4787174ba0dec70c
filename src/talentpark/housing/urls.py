from talentpark.housing.pages import LISTINGS

app_name = "housing"
urlpatterns = [u for listing in LISTINGS for u in listing.urls()]
