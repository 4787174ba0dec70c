import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpark.settings")
application = get_asgi_application()

# Every serve worker loads the search dictionary while it starts, not on its first search.
from talentpark.core.search.segmenter import warm_up_in_background  # noqa: E402

warm_up_in_background()
