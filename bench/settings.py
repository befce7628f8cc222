"""The app's own settings, and four changes that no timed request touches.

Every request the bench times goes through the production middleware, session auth and
database settings that `docker compose up` uses. What differs: the URLconf adds the bench's
bare view; static files are collected for one run only, without compressed copies; and
passwords are hashed fast.
"""

import os

from annotator.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# A folder per run (bench.server.production_env): collectstatic rewrites the manifest in
# place (delete, then write), so two runs sharing one (make bench during make test) could
# start gunicorn on a missing manifest and answer 500 everywhere.
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT") or STATIC_ROOT  # noqa: F405
# The same manifest (so {% static %} resolves as in production), without WhiteNoise's
# gzip and Brotli copies: they cost ~9 s of CPU a run, and no request the bench or the
# soak makes is for a static file.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# Bench users log in once each, before anything is timed, with a throwaway password in a
# throwaway database; the production hasher costs ~0.7 s of CPU a login (as in the tests).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
