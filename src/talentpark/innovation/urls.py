from talentpark.innovation.pages import LISTINGS

app_name = "innovation"
urlpatterns = [u for listing in LISTINGS for u in listing.urls()]
