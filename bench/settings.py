"""The benchmark's profile: the production settings, plus this app (the synthetic corpus's
`seed_synthetic` command), a floor page and a query counter.

scripts/bench serves the site and seeds it with these; nothing else should.
"""

from config.settings_production import *  # noqa: F403
from config.settings_production import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
# Outermost, so it counts the queries of every other middleware as well as the view's.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
