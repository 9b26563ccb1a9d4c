"""Print a reproducible mix of distinct search queries drawn from the database's own content, one
URL a line ("group<TAB>/path"), for the benchmark's fresh-search phase (scripts/bench).

Every query is different, so no page cache can answer it: the figures are what a visitor waits
for a search nobody made before. The mix is what staff type: words of the text (common and
rare), pairs of them, names of countries, regions, organisations, acronyms, approaches, tags and
movements, misspellings of names, quoted phrases, a word without a country (as the search page's
own example, "women -Kenya"), `or`, and words found nowhere.

    .venv/bin/python manage.py shell -v 0 -c "exec(open('scripts/search_mix.py').read())"

SEARCH_MIX_SEED and SEARCH_MIX_SIZE (queries per kind of page, default 150) change the mix.
"""

import os
import random
import re
from collections import Counter
from urllib.parse import urlencode

from django.db.models import Count
from taggit.models import Tag

from movements.models import Movement
from practices.models import Approach, Country, Organisation, Practice, Region, Theme
from search.query import GLOSSARY

rng = random.Random(int(os.environ.get("SEARCH_MIX_SEED", "7")))
size = int(os.environ.get("SEARCH_MIX_SIZE", "150"))
word = re.compile(r"[a-z]{3,}")


def sample(values, k):
    values = sorted(set(v for v in values if v))
    return rng.sample(values, min(k, len(values)))


def misspelt(text):
    """One edit (a letter dropped, doubled, swapped or replaced) in a word of five or more."""
    words = [w for w in text.split() if len(w) >= 5 and w.isalpha()] or [text]
    target = rng.choice(words)
    i = rng.randrange(1, len(target) - 1)
    edit = rng.choice(["drop", "double", "swap", "replace"])
    if edit == "drop":
        wrong = target[:i] + target[i + 1 :]
    elif edit == "double":
        wrong = target[:i] + target[i] + target[i:]
    elif edit == "swap":
        wrong = target[: i - 1] + target[i] + target[i - 1] + target[i + 1 :]
    else:
        wrong = target[:i] + rng.choice("aeioust") + target[i + 1 :]
    return wrong


published = Practice.objects.published()
keys = rng.sample(sorted(published.values_list("pk", flat=True)), 200)
bodies = list(published.filter(pk__in=keys).order_by("pk").values_list("title", "body"))
text_words = [w for _title, body in bodies for w in word.findall(body.lower())]
counted = Counter(text_words)
by_frequency = sorted(counted, key=lambda w: -counted[w])
frequent, rare = by_frequency[:150], [w for w in by_frequency if counted[w] == 1]
countries = Country.objects.annotate(n=Count("practices")).filter(n__gt=0)
tags = Tag.objects.annotate(n=Count("practices_taggedpractice_items")).filter(n__gt=0)

kinds = {
    "word": sample(frequent, 30),
    "rare word": sample(rare, 10),
    "two words": [" ".join(rng.sample(frequent, 2)) for _ in range(15)],
    "country": sample(countries.values_list("name", flat=True), 15),
    "region": sample(Region.objects.values_list("name", flat=True), 5),
    "organisation": sample(Organisation.objects.values_list("name", flat=True), 10),
    "acronym": sample(
        [a for a, _n, _w in GLOSSARY["abbreviations"]]
        + list(Organisation.objects.exclude(acronym="").values_list("acronym", flat=True))
        + list(Movement.objects.exclude(acronym="").values_list("acronym", flat=True)),
        10,
    ),
    "approach or theme": sample(
        list(Approach.objects.values_list("name", flat=True))
        + list(Theme.objects.values_list("name", flat=True)),
        5,
    ),
    "tag": sample(tags.values_list("name", flat=True), 10),
    "movement": [
        " ".join(name.split()[:2])
        for name in sample(Movement.objects.published().values_list("name", flat=True), 10)
    ],
    "misspelt": [
        misspelt(name)
        for name in sample(countries.values_list("name", flat=True), 8)
        + sample(Organisation.objects.values_list("name", flat=True), 4)
        + sample(frequent, 3)
    ],
    "phrase": ['"' + " ".join(title.lower().split()[1:3]) + '"' for title, _body in bodies[:5]],
    # As the search page suggests ("women -Kenya"): a word, and a place to leave out.
    "exclusion": [
        f"{rng.choice(frequent)} -{country}"
        for country in sample(countries.values_list("name", flat=True), 5)
    ],
    "or": [f"{a} or {b}" for a, b in (rng.sample(frequent, 2) for _ in range(5))],
    "nowhere": ["".join(rng.choice("bcdfgklmnprstvz") for _ in range(7)) for _ in range(5)],
}
queries = list(dict.fromkeys(q for values in kinds.values() for q in values))
rng.shuffle(queries)
queries = queries[:size]
for path, group in (
    ("/search/", "fresh search"),
    ("/practices/", "fresh practice list search"),
    ("/movements/", "fresh movement list search"),
):
    for query in queries:
        print(f"{group}\t{path}?{urlencode({'q': query})}")
