"""Countries and UN M49 regions, taken from libraries rather than typed by hand, and their names
in the reader's language.

pycountry gives the ISO 3166-1 list and names; country_converter's data table gives each
country's UN M49 sub-region and continent; CLDR's territory names, as Babel ships them, name
countries (by ISO 3166-1 alpha-2 code) and regions (by UN M49 code) in other languages. Only the
M49 codes of the regions themselves are written here, because none of the libraries carries them.
"""

import csv
import importlib.util
from functools import lru_cache
from pathlib import Path

import pycountry
from babel import Locale, UnknownLocaleError
from django.utils.text import slugify
from django.utils.translation import get_language


@lru_cache(maxsize=16)
def territories(language):
    """{code: name} of CLDR's countries and regions in `language` ({} for an unknown one)."""
    try:
        return Locale.parse(language.replace("-", "_")).territories
    except (ValueError, UnknownLocaleError):
        return {}


def local_place_name(code, name):
    """The name of a country or region in the active language; in English the stored `name`, as
    written (CLDR's English names differ from the UN's: "Southeast Asia")."""
    language = get_language() or "en"
    if language.split("-")[0] == "en":
        return name
    return territories(language).get(code, name)


class OtherName(str):
    """A name that a search document lists after the others: a place's name in another language,
    or a country that a region it names covers."""


def local_names(place):
    """A place's French and Spanish names."""
    for language in ("fr", "es"):
        if name := territories(language).get(place.code):
            yield OtherName(name)


def place_names(place):
    """A place's name and its names in other languages, then its region's."""
    while place:
        yield place.name
        yield from local_names(place)
        place = getattr(place, "region", None) or getattr(place, "parent", None)


class LocalNameMixin:
    """A place model with a `code` (ISO 3166-1 alpha-2 or UN M49) and an English `name`, shown
    in the reader's language (models still define `__str__`: return it)."""

    @property
    def local_name(self):
        return local_place_name(self.code, self.name)


# UN M49 codes of the regions and sub-regions that country_converter names.
M49_REGIONS = {
    "Africa": ("002", None),
    "Americas": ("019", None),
    "Antarctica": ("010", None),
    "Asia": ("142", None),
    "Europe": ("150", None),
    "Oceania": ("009", None),
    "Eastern Africa": ("014", "Africa"),
    "Middle Africa": ("017", "Africa"),
    "Northern Africa": ("015", "Africa"),
    "Southern Africa": ("018", "Africa"),
    "Western Africa": ("011", "Africa"),
    "Caribbean": ("029", "Americas"),
    "Central America": ("013", "Americas"),
    "South America": ("005", "Americas"),
    "Northern America": ("021", "Americas"),
    "Central Asia": ("143", "Asia"),
    "Eastern Asia": ("030", "Asia"),
    "South-eastern Asia": ("035", "Asia"),
    "Southern Asia": ("034", "Asia"),
    "Western Asia": ("145", "Asia"),
    "Eastern Europe": ("151", "Europe"),
    "Northern Europe": ("154", "Europe"),
    "Southern Europe": ("039", "Europe"),
    "Western Europe": ("155", "Europe"),
    "Australia and New Zealand": ("053", "Oceania"),
    "Melanesia": ("054", "Oceania"),
    "Micronesia": ("057", "Oceania"),
    "Polynesia": ("061", "Oceania"),
}
CONTINENT_NAMES = {"America": "Americas"}


def _subregion_by_iso3():
    """Map ISO alpha-3 code to (sub-region, continent) from country_converter's table."""
    # find_spec locates the data file without importing the package (and pandas with it).
    spec = importlib.util.find_spec("country_converter")
    table = Path(spec.submodule_search_locations[0]) / "country_data.tsv"
    with table.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {
            row["ISO3"]: (row["UNregion"], CONTINENT_NAMES.get(row["continent"], row["continent"]))
            for row in rows
            if row["ISO3"]
        }


def sync_countries(region_model, country_model):
    """Create or update every region and every ISO 3166-1 country; return the country count."""
    regions = {}
    for name, (code, parent_name) in M49_REGIONS.items():
        region, _ = region_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "slug": slugify(name),
                "parent": regions.get(parent_name),
            },
        )
        regions[name] = region
    placement = _subregion_by_iso3()
    for entry in pycountry.countries:
        subregion, continent = placement.get(entry.alpha_3, ("", ""))
        country_model.objects.update_or_create(
            code=entry.alpha_2,
            defaults={
                "name": getattr(entry, "common_name", None) or entry.name,
                "region": regions.get(subregion) or regions.get(continent),
            },
        )
    return len(pycountry.countries)


REGION_CODES = {slugify(name): code for name, (code, _parent) in M49_REGIONS.items()}
REGION_PARENTS = {
    slugify(name): slugify(parent) for name, (_code, parent) in M49_REGIONS.items() if parent
}


def local_region_name(slug, name):
    """A region's name in the active language, from its slug (as facets know it)."""
    return local_place_name(REGION_CODES.get(slug, ""), name)
