import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpark.settings")
django.setup(set_prefix=False)

from talentpark.core.asgi_handler import PooledThreadASGIHandler  # noqa: E402

# Each request's synchronous work runs on one of a few long-lived threads, so database
# connections persist between requests (core/asgi_handler.py).
application = PooledThreadASGIHandler()

# Every serve worker loads the search dictionary while it starts, not on its first search.
from talentpark.core.search.segmenter import warm_up_in_background  # noqa: E402

warm_up_in_background()
