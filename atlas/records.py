"""What the pages spanning the content apps show (core.records.Pages): a country's, a region's
and a tag's page list the practices with that value, so a practice saved elsewhere leaves them
cached. Pages not declared here (home, search, the country list, coverage) show everything."""

from core.records import Pages, register_pages


def country_code(code):
    return code.upper()[:2]  # as atlas.places.country_detail reads it


def region_slug(slug):
    return slug[:100]  # as atlas.places.region_detail reads it


def declare():
    listing = "practices.practice"
    register_pages(
        Pages(
            ("atlas:country-detail",),
            shows=("practices", "movements", "taggit"),
            listing=listing,
            by=(("code", "country", country_code),),
        ),
        Pages(
            ("atlas:region-detail",),
            shows=("practices", "movements", "taggit"),
            listing=listing,
            by=(("slug", "region", region_slug),),
        ),
        Pages(
            ("atlas:tag-detail",),
            shows=("practices", "movements", "guidance", "taggit"),
            listing=listing,
            by=(("slug", "tag", None),),
        ),
    )
