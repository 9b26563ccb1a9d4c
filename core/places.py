"""Names of places in the reader's language: countries by ISO 3166-1 alpha-2 code and regions by
UN M49 code, from CLDR's territory names as Babel ships them."""

from functools import lru_cache

from babel import Locale, UnknownLocaleError
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


class LocalNameMixin:
    """A place model with a `code` (ISO 3166-1 alpha-2 or UN M49) and an English `name`, shown
    in the reader's language (models still define `__str__`: return it)."""

    @property
    def local_name(self):
        return local_place_name(self.code, self.name)
