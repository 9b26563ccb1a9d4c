"""How a record's tags are written in, and read back from, the one text field that edits them.

django-taggit's own format splits on spaces when there is no comma, and has no way to write a
double quote inside a name: a tag named `say "no" to violence` comes back from an unchanged save
as two tags. Here names are separated by commas only; a name that holds a comma or a double
quote, or starts or ends with a space, is written in double quotes with each quote doubled, as
in CSV. So `land, "women, peace and security", "say ""no"" to violence"` is three tags, and
writing any list of tags and reading it back gives the same names.

settings.TAGGIT_STRING_FROM_TAGS and TAGGIT_TAGS_FROM_STRING point taggit's form field and
widget (every TaggableManager's, the admin's included) at these two functions.
"""

import re

# One name and the comma after it: quoted ("" stands for "), or anything up to the next comma.
# A quote that does not close the name just before a comma is taken as part of a plain name.
NAME = re.compile(r'\s*(?:"((?:[^"]|"")*)"|([^,]*?))\s*(?:,|\Z)')


def string_from_tags(tags):
    """The tags (Tag objects or names) as the field shows them, sorted by name."""
    names = sorted(getattr(tag, "name", tag) for tag in tags)
    return ", ".join(quoted(name) for name in names)


def quoted(name):
    if "," in name or '"' in name or name != name.strip():
        return '"' + name.replace('"', '""') + '"'
    return name


def tags_from_string(text):
    """The distinct tag names in the field's text, sorted (taggit's TagField compares the
    result with the record's sorted names to tell whether the field changed)."""
    names = set()
    for match in NAME.finditer(text or ""):
        quoted_name, plain_name = match.groups()
        name = quoted_name.replace('""', '"') if quoted_name is not None else plain_name
        if name and name.strip():
            names.add(name)
    return sorted(names)
