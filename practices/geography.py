"""The names the practice and movement filters read from core.places, where places now live."""

from core.places import REGION_PARENTS, local_region_name  # noqa: F401
