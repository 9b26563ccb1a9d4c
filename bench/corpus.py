"""The synthetic corpus: practices, movements, organisations and tags drawn reproducibly from a
seed, with their countries, regions, links and search documents, for benchmarks at scale.

Every practice, movement and organisation cites the corpus's own source document (SOURCE), and
every tag's slug starts with SYNTHETIC_PREFIX: that is how bench/purge.py tells them from real
content. No signals fire in a bulk load, so what they would derive is computed here with the
product's own code: regions with Practice.regions_covering, search documents with the models'
SearchSpecs (bench/documents.py), first versions with curation.history.
"""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from core.cache import content_changed
from core.models import Status
from guidance.models import Principle
from movements.models import Movement
from practices.models import Approach, Country, Organisation, Practice, Region
from practices.narrative import completeness_of
from search.documents import Glossary

from . import evidence, movements
from .bulk import BATCH, insert_links, save_first_versions, save_links, save_records
from .documents import SearchDocuments
from .source import SOURCE, synthetic_source
from .text import WORDS, Weighted, Writer, zipf

SYNTHETIC_PREFIX = "synthetic-"
ORGANISATIONS = 300
TAGS = 300
# The fixtures' countries, which real content is about, appear ten times as often as others.
FOCUS_COUNTRIES = {"BD", "ID", "KE", "KH", "NE", "NG", "NI", "NP", "PE", "PS", "UG"}
FOCUS_WEIGHT = 10
# Distinct from the movements' forms, so no organisation shares a movement's name.
ORGANISATION_FORMS = [
    "Alliance",
    "Association",
    "Forum",
    "Collective",
    "Foundation",
    "Centre",
    "Trust",
    "Institute",
    "Initiative",
    "Council",
]
SCOPES = [("national", 60), ("multi-country", 20), ("regional", 12), ("global", 8)]
STATUSES = [(Status.PUBLISHED, 90), (Status.DRAFT, 8), (Status.WITHDRAWN, 2)]


def read_existing():
    """What the synthetic records link to, read before the writes start: the writer's
    transaction locks the tables it loads, and its rows are invisible to this connection."""
    return SimpleNamespace(
        countries=list(Country.objects.select_related("region__parent").order_by("code")),
        regions={
            region.pk: region
            # With what the names of a practice scoped to it read: the countries it covers.
            for region in Region.objects.select_related("parent").prefetch_related(
                "countries", "subregions__countries"
            )
        },
        approaches=list(Approach.objects.select_related("theme").order_by("slug")),
        principles=list(Principle.objects.published().order_by("slug")),
        organisations=list(
            Organisation.objects.exclude(source__slug=SOURCE["slug"]).order_by("slug")
        ),
        tags=list(Tag.objects.exclude(slug__startswith=SYNTHETIC_PREFIX).order_by("slug")),
        acronyms=Glossary.load().pairs,
    )


class Corpus:
    """Draws every record and link from `rng`, in a fixed order; `pipeline` writes them."""

    def __init__(self, rng, existing, pipeline):
        self.rng = rng
        self.existing = existing
        self.pipeline = pipeline
        self.writer = Writer(rng)
        self.now = timezone.now().replace(microsecond=0)
        countries = existing.countries
        self.country_pick = Weighted(
            countries, [FOCUS_WEIGHT if c.code in FOCUS_COUNTRIES else 1 for c in countries]
        )
        regions = existing.regions
        self.subregions = sorted(
            {c.region_id for c in countries if c.region_id}, key=lambda pk: regions[pk].code
        )
        self.countries_in = {
            pk: [c for c in countries if c.region_id == pk] for pk in self.subregions
        }
        self.practice_pks = []
        self.movement_pks = []

    def seed(self, n_practices, n_movements):
        pipeline = self.pipeline
        self.n_practices, self.n_movements = n_practices, n_movements
        organisations = self.draft_organisations()
        tags = self.draft_tags({t.name.lower() for t in self.existing.tags})
        pipeline.phase(f"{len(organisations)} organisations, {len(tags)} tags")
        self.source = pipeline.wait(synthetic_source)
        for organisation in organisations:
            organisation.source = self.source
        pipeline.wait(lambda: Organisation.objects.bulk_create(organisations))
        pipeline.wait(lambda: Tag.objects.bulk_create(tags))
        self.organisation_pick = zipf(organisations, offset=20)
        self.tag_pick = zipf(tags, offset=10)

        # Movements are drawn before practices so that the glossary the search documents are
        # built with already holds their acronyms, as it will when they are saved.
        drafts = movements.draft(self, n_movements)
        acronyms = [(o.acronym, o.name) for o in organisations if o.acronym]
        acronyms += [
            (m.acronym, m.name) for m, *_ in drafts if m.acronym and m.status == Status.PUBLISHED
        ]
        self.documents = SearchDocuments(Glossary(self.existing.acronyms + acronyms))

        pipeline.phase(f"{n_practices} practices with countries, regions, organisations, tags")
        self.create_practices(n_practices)
        pipeline.phase(f"{n_movements} movements and links to practices and principles")
        movements.create(self, drafts)
        self.link_principles()
        pipeline.phase("outcomes, studies and evidence assessments")
        evidence.create(self, SYNTHETIC_PREFIX)
        pipeline.phase("first versions of the records, for their history")
        pipeline.submit(
            save_first_versions,
            [
                (Organisation, [o.pk for o in organisations]),
                (Practice, self.practice_pks),
                (Movement, self.movement_pks),
            ],
        )
        pipeline.submit(content_changed)

    def draft_organisations(self):
        rng, rows = self.rng, []
        for n in range(1, ORGANISATIONS + 1):
            country = self.country_pick.one(rng)
            focus = self.writer.name_words(rng.randint(1, 3))
            name = f"{country.name} {focus} {rng.choice(ORGANISATION_FORMS)}"
            initials = "".join(word[0] for word in name.split() if word[0].isalpha()).upper()
            rows.append(
                Organisation(
                    name=name,
                    slug=f"{SYNTHETIC_PREFIX}{slugify(name)[:80]}-{n}",
                    acronym=initials if rng.random() < 0.4 and len(initials) > 2 else "",
                    kind=rng.choice(Organisation.Kind.values),
                    country=country,
                )
            )
        return rows

    def draft_tags(self, taken):
        rows = []
        while len(rows) < TAGS:
            name = " ".join(self.rng.sample(WORDS[:150], 2)).replace("-", " ")
            if name.lower() in taken:
                continue
            taken.add(name.lower())
            rows.append(Tag(name=name, slug=f"{SYNTHETIC_PREFIX}{slugify(name)}"))
        return rows

    def create_practices(self, n_practices):
        def save(rows, links):
            save_records(Practice, rows)
            self.practice_pks.extend(practice.pk for practice in rows)
            insert_links(rows, links, owner={Practice.tags.through: "content_object_id"})

        scope_pick = Weighted(*zip(*SCOPES, strict=True))
        status_pick = Weighted(*zip(*STATUSES, strict=True))
        for first in range(0, n_practices, BATCH):
            rows, links = [], []
            for n in range(first + 1, min(first + BATCH, n_practices) + 1):
                practice, practice_links = self.draw_practice(n, scope_pick, status_pick)
                rows.append(practice)
                links.append(practice_links)
            self.pipeline.submit(save, rows, links)

    def draw_practice(self, n, scope_pick, status_pick):
        """An unsaved practice with its search document, and its links for insert_links."""
        rng, existing = self.rng, self.existing
        scope = scope_pick.one(rng)
        scope_region, label, place = None, "", None
        if scope == "national":
            countries = [self.country_pick.one(rng)]
            place = countries[0].name
        elif scope == "multi-country":
            countries = self.country_pick.distinct(rng, rng.randint(2, 6))
        elif scope == "regional":
            scope_region = existing.regions[rng.choice(self.subregions)]
            place = scope_region.name
            label = f"{place} region"
            pool = self.countries_in[scope_region.pk]
            countries = rng.sample(pool, min(len(pool), rng.randint(0, 3)))
        else:
            countries, label = [], "Global"
        title = self.writer.title(place)
        approach = rng.choice(existing.approaches) if existing.approaches else None
        created = self.now - timedelta(days=rng.randint(0, 8 * 365), seconds=n)
        practice = Practice(
            title=title,
            slug=f"{slugify(title)[:100]}-{n}",
            approach=approach,
            scope=scope,
            scope_label=label,
            scope_region=scope_region,
            summary=self.writer.text(rng.randint(45, 75)),
            body=self.writer.paragraphs(rng.randint(240, 360)),
            status=status_pick.one(rng),
            source=self.source,
            created_at=created,
            updated_at=min(self.now, created + timedelta(days=rng.randint(0, 400))),
        )
        practice.completeness = completeness_of(practice)  # bulk inserts skip save()
        tags = self.tag_pick.distinct(rng, rng.randint(1, 5))
        if existing.tags and rng.random() < 0.1:
            tags.append(rng.choice(existing.tags))
        organisations = self.organisation_pick.distinct(rng, rng.randint(1, 3))
        if existing.organisations and rng.random() < 0.05:
            organisations.append(rng.choice(existing.organisations))
        organisations = sorted(dict.fromkeys(organisations), key=lambda o: o.name)
        tags = list(dict.fromkeys(tags))
        countries = sorted(countries, key=lambda c: c.name)
        practice.search_names = self.documents.names(
            practice, organisations=organisations, countries=countries, tags=tags
        )
        return practice, {
            Practice.countries.through: ("country_id", [c.pk for c in countries]),
            Practice.organisations.through: ("organisation_id", [o.pk for o in organisations]),
            Practice.regions.through: (
                "region_id",
                sorted(Practice.regions_covering(countries, scope_region)),
            ),
            Practice.tags.through: ("tag_id", [t.pk for t in tags]),
        }

    def link_principles(self):
        """Links to principles, drawn as positions in the list of practices (or movements)
        whose keys the pipeline fills in as it saves them."""
        principles = self.existing.principles
        for through, owner, pks, count in (
            (Principle.practices.through, "practice_id", self.practice_pks, self.n_practices),
            (Principle.movements.through, "movement_id", self.movement_pks, self.n_movements),
        ):
            drawn = [
                (self.rng.choice(principles).pk, i)
                for i in range(count)
                if principles and self.rng.random() < 0.03
            ]
            self.pipeline.submit(
                lambda through, owner, drawn, pks: save_links(
                    through, ("principle_id", owner), [(p, pks[i]) for p, i in drawn]
                ),
                through,
                owner,
                drawn,
                pks,
            )
