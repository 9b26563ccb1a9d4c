"""Every kind of public page, with real addresses from the database.

The load test, the benchmark and the hostile-input tests all walk this one list, so a new page
type added here is exercised by each of them.
"""

from django.urls import reverse

from guidance.models import Principle
from movements.models import Movement
from practices.models import Approach, Country, Practice, Theme


def public_urls(per_kind=5):
    """[(page kind, path)] for every public page type, up to `per_kind` records of each."""
    practices = Practice.objects.published().order_by("pk")[:per_kind]
    movements = Movement.objects.published().order_by("pk")[:per_kind]
    principles = Principle.objects.published().order_by("pk")[:per_kind]
    countries = Country.objects.filter(practices__status="published").distinct()[:per_kind]
    practice_list = reverse("practices:practice-list")
    urls = [
        ("home", reverse("atlas:home")),
        ("practice list", practice_list),
        ("practice list filtered", practice_list + "?country=KE&country=UG&region=eastern-africa"),
        ("practice list searched", practice_list + "?q=women+leadership"),
        ("movement list", reverse("movements:movement-list")),
        ("guidance", reverse("guidance:guidance")),
        ("checklist", reverse("guidance:checklist")),
        ("country list", reverse("atlas:country-list")),
        ("search", reverse("atlas:search") + "?q=Kenya"),
        ("search empty", reverse("atlas:search")),
    ]
    urls += [("practice", p.get_absolute_url()) for p in practices]
    urls += [("movement", m.get_absolute_url()) for m in movements]
    urls += [("principle", p.get_absolute_url()) for p in principles]
    urls += [("country", c.get_absolute_url()) for c in countries]
    urls += [("theme", t.get_absolute_url()) for t in Theme.objects.all()[:per_kind]]
    urls += [("approach", a.get_absolute_url()) for a in Approach.objects.all()[:per_kind]]
    for practice in practices:
        tag = practice.tags.first()
        if tag:
            urls.append(("tag", reverse("atlas:tag-detail", args=[tag.slug])))
            break
    return urls
