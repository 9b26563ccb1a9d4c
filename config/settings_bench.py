"""The benchmark's profile: the production settings, plus a floor page and a query counter.

scripts/bench serves the site with these; nothing else should.
"""

from .settings_production import *  # noqa: F403
from .settings_production import MIDDLEWARE

ROOT_URLCONF = "config.bench_urls"
# Outermost, so it counts the queries of every other middleware as well as the view's.
MIDDLEWARE = ["config.bench_urls.QueryCountMiddleware", *MIDDLEWARE]
