"""The app's own settings, with one change: the URLconf adds the bench's bare view.

Nothing else differs, so every request the bench times goes through the production
middleware, session auth and database settings that `docker compose up` uses.
"""

from annotator.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
