"""Fill the database with synthetic practices and movements, for benchmarks at scale.

Records are reproducible from --seed and written in batches, all in one transaction. On
PostgreSQL, practices and movements are COPYed into a staging table under primary keys reserved
from their sequence, then moved into their table by one INSERT ... SELECT that builds the search
vector on the way, so each row is written once (save_records); link rows are COPYed straight into
their tables (save_links); the GIN indexes are dropped for the load and rebuilt after it (see
Pipeline). Elsewhere (SQLite, which has no search vector) rows and links go through bulk_create.
No signals fire either way, so what they would derive (regions, search documents, the cached facet
counts' version) is filled or bumped explicitly. Practices and movements are marked by
`is_synthetic`; organisations and tags, which have no such flag, by the slug prefix "synthetic-".
`--clear` removes exactly those records and their links, by SQL.

The command fills all three content apps, so it imports the movements and guidance models inside
`handle()`: the practices app imports neither at module level.
"""

import queue
import random
import threading
import time
from bisect import bisect
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from itertools import accumulate
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, models, transaction
from django.db.models.sql import Query
from django.utils import timezone
from django.utils.text import slugify
from reversion.models import Revision
from taggit.models import Tag

from curation.history import version_groups, write_initial_versions
from practices.cache import content_changed
from practices.models import (
    Approach,
    Country,
    Organisation,
    Practice,
    Region,
    Status,
    TaggedPractice,
)
from search.documents import (
    Glossary,
    forget_glossary,
    is_postgresql,
    rebuild_vocabulary,
    refresh_records,
    spec_for,
)

SYNTHETIC_PREFIX = "synthetic-"
HISTORY_COMMENT = "Synthetic record"  # what --clear finds the first versions by
ORGANISATIONS = 300
TAGS = 300
BATCH = 2000
# The fixtures' countries, which real content is about, appear ten times as often as others.
FOCUS_COUNTRIES = {"BD", "ID", "KE", "KH", "NE", "NG", "NI", "NP", "PE", "PS", "UG"}
FOCUS_WEIGHT = 10

# The vocabulary of the generated text, most frequent first: word frequencies fall off as in
# natural text (Zipf), so some words are in most records and most words are in few.
WORDS = """
women community rights local groups support girls gender work women's leaders project
programme national violence land access services economic health government network
training rural change social participation organisations justice policy members leadership
power voice collective action partners public campaign advocacy savings
movement young district income decision farmers law protection family care equality
resources village market learning safe space education water budget legal decisions
accountability space survivors domestic cooperative credit livelihoods research
unpaid strengthening councils officials alliance regional power-holders feminist
agricultural enterprise mentoring dialogue solidarity youth representation sexual
reproductive campaigns evidence monitoring sustainable climate resilience disaster
forest fisheries street vendors domestic-workers unions wages informal mobilising
peer literacy radio theatre mothers elders religious customary tenure titles inheritance
marriage child early schools teachers clinics midwives paralegals courts police
referral shelters helplines counselling documentation mapping scorecards hearings
petitions marches assemblies caucus quotas elections candidates councillors
parliament ministries reform implementation review reporting standards commitments
financing grants funds donors transparency audits tracking expenditure tax
cash transfers pensions insurance childcare burden time-use infrastructure roads
markets transport energy solar stoves sanitation hygiene menstrual nutrition
seeds irrigation extension value chains processing pricing buyers traders
certification quality exports coffee cocoa cotton rice maize dairy poultry
crafts textiles garment factories migrants refugees displacement conflict peace
reconciliation humanitarian recovery emergency preparedness early-warning
indigenous minority disability ageing widows adolescents boys men masculinities
allies norms attitudes behaviour stigma discrimination harassment safety
digital phones internet media journalists storytelling art music sport
""".split()
RARE_WORDS = 5000
RARE_EVERY = 8  # one word in eight is from the long tail
TITLE_OPENERS = [
    "Strengthening",
    "Building",
    "Supporting",
    "Securing",
    "Promoting",
    "Organising",
    "Expanding",
    "Linking",
    "Mobilising",
    "Protecting",
    "Investing in",
    "Learning from",
]
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
MOVEMENT_FORMS = {
    "network": "Network",
    "coalition": "Coalition",
    "umbrella": "Federation",
    "union": "Union",
    "movement": "Movement",
}
SCOPES = [("national", 60), ("multi-country", 20), ("regional", 12), ("global", 8)]
STATUSES = [(Status.PUBLISHED, 90), (Status.DRAFT, 8), (Status.WITHDRAWN, 2)]


class Weighted:
    """Draws items with fixed weights from a random.Random, cheaply and reproducibly."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def one(self, rng):
        return self.items[bisect(self.cumulative, rng.random() * self.total)]

    def some(self, rng, k):
        return rng.choices(self.items, cum_weights=self.cumulative, k=k)

    def distinct(self, rng, k):
        chosen = []
        for _attempt in range(k * 4):
            item = self.one(rng)
            if item not in chosen:
                chosen.append(item)
                if len(chosen) == k:
                    break
        return chosen


def zipf(items, offset=8):
    return Weighted(items, [1.0 / (rank + offset) for rank in range(len(items))])


def rare_words(rng, n):
    """`n` made-up words (local terms, place and project names) for the long tail of the text:
    each is in about one record in a hundred, as specific terms are in real text."""
    onsets = "b d f g k l m n p r s t v w y z ch sh th".split()
    vowels = "a e i o u".split()
    words = set()
    while len(words) < n:
        words.add(
            "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
        )
    return sorted(words)


class Writer:
    """Words, sentences and paragraphs: common domain words (Zipf) and a long tail of rare ones."""

    def __init__(self, rng):
        self.rng = rng
        self.words = zipf(WORDS)
        self.rare = rare_words(rng, RARE_WORDS)

    def text(self, n_words, sentence=(8, 18)):
        words = self.words.some(self.rng, n_words)
        for i in range(0, n_words, RARE_EVERY):
            words[self.rng.randrange(i, min(i + RARE_EVERY, n_words))] = self.rng.choice(self.rare)
        sentences, start = [], 0
        while start < n_words:
            end = start + self.rng.randint(*sentence)
            sentences.append(" ".join(words[start:end]).capitalize() + ".")
            start = end
        return " ".join(sentences)

    def paragraphs(self, n_words):
        paragraphs, left = [], n_words
        while left > 0:
            n = min(left, self.rng.randint(50, 110))
            paragraphs.append(self.text(n))
            left -= n
        return "\n\n".join(paragraphs)

    def name_words(self, n):
        """Distinct capitalised words for an organisation's or movement's name."""
        return " ".join(word.capitalize() for word in self.words.distinct(self.rng, n))

    def title(self, place=None):
        n = self.rng.randint(4, 12)
        opener = self.rng.choice(TITLE_OPENERS)
        suffix = f" in {place}" if place and n > 5 else ""
        used = len(opener.split()) + len(suffix.split())
        words = self.words.some(self.rng, max(1, n - used))
        if len(words) > 2 and self.rng.random() < 0.5:
            words[self.rng.randrange(len(words))] = self.rng.choice(self.rare)
        return f"{opener} {' '.join(words)}{suffix}"


@contextmanager
def own_timestamps(*models):
    """Let bulk_create keep the created/updated times we give instead of stamping `now`."""
    fields = [
        field
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class SearchDocuments:
    """The `search_names` of new records as the search module's `document_names()` builds them,
    but from the links the command already knows rather than by reading every record back (the
    vector is built from them as the rows are saved, see save_records).

    Generated text is lower-case words without acronyms and without the words (and, for, of) that
    the glossary's full names need, so only linked names, and a movement's own name and acronym,
    are scanned for acronym expansions, each distinct name once: scanning the bodies of 100,000
    records would take most of the run. A rebuild gives the same names; their order may differ.
    """

    def __init__(self, glossary):
        self.glossary = glossary
        self.expanded = {}

    def names(self, names, own=()):
        kept = list(dict.fromkeys(name.strip() for name in names if name and name.strip()))
        for piece in [*own, *kept]:
            if piece not in self.expanded:
                self.expanded[piece] = self.glossary.expansions(piece)
            kept += [name for name in self.expanded[piece] if name not in kept]
        return " · ".join(kept)


@contextmanager
def gin_indexes_deferred(*models):
    """On PostgreSQL, drop the models' GIN indexes (search vectors, trigrams) for a bulk load and
    build them again after it: one build is far faster than 100,000 insertions into them. Use it
    inside a transaction, so that a failure rolls the drop back too."""
    if not is_postgresql():
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexdef LIKE %s ORDER BY indexname",
            [tables, "% USING gin %"],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        # Deferred foreign-key checks must run before an index can be built in this transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


def quote(name):
    return connection.ops.quote_name(name)


def purge(model, where, params, cursor, counts):
    """Delete the `model` rows matching `where` (SQL over its table) and every row that points at
    them, in SQL: no per-row signals, so no per-row search refresh of records about to go."""
    meta = model._meta
    ids = f"SELECT {quote(meta.pk.column)} FROM {quote(meta.db_table)} WHERE {where}"
    for field in meta.many_to_many:
        if not isinstance(field, models.ManyToManyField):
            continue  # Tags: their link table points at `model` and is one of related_objects.
        through = field.remote_field.through._meta
        column = through.get_field(field.m2m_field_name()).column
        cursor.execute(
            f"DELETE FROM {quote(through.db_table)} WHERE {quote(column)} IN ({ids})", params
        )
    for relation in meta.related_objects:
        if relation.many_to_many:
            through = relation.through._meta
            column = through.get_field(relation.field.m2m_reverse_field_name()).column
            cursor.execute(
                f"DELETE FROM {quote(through.db_table)} WHERE {quote(column)} IN ({ids})", params
            )
        elif relation.on_delete.__name__ == "CASCADE":
            purge(
                relation.related_model,
                f"{quote(relation.field.column)} IN ({ids})",
                params,
                cursor,
                counts,
            )
        else:
            table = quote(relation.related_model._meta.db_table)
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} WHERE {quote(relation.field.column)} IN ({ids})",
                params,
            )
            if cursor.fetchone()[0]:
                raise CommandError(
                    f"{relation.related_model._meta.label} records that are not synthetic "
                    f"point at synthetic {meta.verbose_name_plural}; nothing was removed."
                )
    cursor.execute(f"DELETE FROM {quote(meta.db_table)} WHERE {where}", params)
    counts[meta.label] = counts.get(meta.label, 0) + cursor.rowcount


class Command(BaseCommand):
    help = (
        "Create reproducible synthetic practices and movements (with organisations, tags and "
        "links) in bulk for benchmarks, or remove them with --clear."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practices", type=int, help="Practices to create (default 1000).")
        parser.add_argument("--movements", type=int, help="Movements to create (default 100).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Remove the synthetic records first; alone, only remove them.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be done; change nothing."
        )

    def handle(self, *args, practices=None, movements=None, seed=1, clear=False, **options):
        from guidance.models import Principle
        from movements.models import Movement

        self.Movement, self.Principle = Movement, Principle
        dry_run = options["dry_run"]
        create = not clear or practices is not None or movements is not None
        n_practices = 1000 if practices is None else practices
        n_movements = 100 if movements is None else movements
        if n_practices < 0 or n_movements < 0:
            raise CommandError("Counts cannot be negative.")
        started = time.monotonic()
        if clear:
            self.clear(dry_run)
        if not create:
            return
        if not clear and self.synthetic_exist():
            raise CommandError("Synthetic records exist already: add --clear to replace them.")
        if dry_run:
            self.stdout.write(
                f"Would create {n_practices} practices and {n_movements} movements with seed "
                f"{seed}, {ORGANISATIONS} organisations and {TAGS} tags (slugs "
                f"'{SYNTHETIC_PREFIX}…'), their countries, regions, tags, organisations, links "
                "to movements and principles, and their search documents."
            )
            self.stdout.write(self.style.WARNING("Dry run: nothing was changed."))
            return
        started = time.monotonic()
        existing = self.read_existing()
        with Pipeline(self.write, gin=(Practice, self.Movement)) as pipeline:
            self.seed(random.Random(seed), n_practices, n_movements, existing, pipeline)
        with transaction.atomic():
            rebuild_vocabulary()
        self.stdout.write(f"  Search vocabulary rebuilt at {time.monotonic() - started:.1f} s")
        # Fresh statistics for the planner: without them it takes the tables for as small as
        # before the load and picks plans (nested loops) that run for minutes. Inside a
        # transaction (tests) ANALYZE sees the transaction's own rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"  Statistics refreshed at {time.monotonic() - started:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {n_practices} synthetic practices and {n_movements} movements in "
                f"{time.monotonic() - started:.1f} s."
            )
        )

    def synthetic_exist(self):
        return (
            Practice.objects.filter(is_synthetic=True).exists()
            or self.Movement.objects.filter(is_synthetic=True).exists()
            or Organisation.objects.filter(slug__startswith=SYNTHETIC_PREFIX).exists()
            or Tag.objects.filter(slug__startswith=SYNTHETIC_PREFIX).exists()
        )

    def write(self, text):
        self.stdout.write(text)

    # -- Removing -------------------------------------------------------------------------------

    def clear(self, dry_run):
        synthetic = {
            Practice: Practice.objects.filter(is_synthetic=True),
            self.Movement: self.Movement.objects.filter(is_synthetic=True),
            Organisation: Organisation.objects.filter(slug__startswith=SYNTHETIC_PREFIX),
            Tag: Tag.objects.filter(slug__startswith=SYNTHETIC_PREFIX),
        }
        if dry_run:
            for model, queryset in synthetic.items():
                self.stdout.write(f"Would remove {queryset.count()} {model._meta.label} records.")
            return
        # Real records linked to a synthetic organisation or tag lose that link: their search
        # documents are refreshed once it is gone.
        real_practices = set(
            Practice.objects.filter(
                is_synthetic=False, organisations__slug__startswith=SYNTHETIC_PREFIX
            ).values_list("pk", flat=True)
        ) | set(
            Practice.objects.filter(
                is_synthetic=False, tagged_items__tag__slug__startswith=SYNTHETIC_PREFIX
            ).values_list("pk", flat=True)
        )
        real_movements = list(
            self.Movement.objects.filter(
                is_synthetic=False, tagged_items__tag__slug__startswith=SYNTHETIC_PREFIX
            ).values_list("pk", flat=True)
        )
        real_principles = list(
            self.Principle.objects.filter(
                tagged_items__tag__slug__startswith=SYNTHETIC_PREFIX
            ).values_list("pk", flat=True)
        )
        counts = {}
        prefix = SYNTHETIC_PREFIX + "%"
        with transaction.atomic(), connection.cursor() as cursor:
            Revision.objects.filter(comment=HISTORY_COMMENT).delete()
            purge(Practice, f"{quote('is_synthetic')} = %s", [True], cursor, counts)
            purge(self.Movement, f"{quote('is_synthetic')} = %s", [True], cursor, counts)
            purge(Organisation, f"{quote('slug')} LIKE %s", [prefix], cursor, counts)
            purge(Tag, f"{quote('slug')} LIKE %s", [prefix], cursor, counts)
            refresh_records(Practice, real_practices)
            refresh_records(self.Movement, real_movements)
            refresh_records(self.Principle, real_principles)
            rebuild_vocabulary()
        forget_glossary()
        content_changed()
        removed = ", ".join(f"{n} {label}" for label, n in counts.items() if n)
        self.stdout.write(self.style.SUCCESS(f"Removed {removed or 'nothing'}."))

    # -- Creating -------------------------------------------------------------------------------

    def read_existing(self):
        """What the synthetic records link to, read before the writes start: the writer's
        transaction locks the tables it loads, and its rows are invisible to this connection."""
        forget_glossary()
        return SimpleNamespace(
            countries=list(Country.objects.order_by("code")),
            regions={region.pk: region for region in Region.objects.order_by("code")},
            approaches=list(Approach.objects.select_related("theme").order_by("slug")),
            principles=list(self.Principle.objects.published().order_by("slug")),
            organisations=list(
                Organisation.objects.exclude(slug__startswith=SYNTHETIC_PREFIX).order_by("slug")
            ),
            tags=list(Tag.objects.exclude(slug__startswith=SYNTHETIC_PREFIX).order_by("slug")),
            acronyms=Glossary.load().pairs,
        )

    def seed(self, rng, n_practices, n_movements, existing, pipeline):
        """Draw every record and link from `rng` here; `pipeline` writes them, in order."""
        writer = Writer(rng)
        now = timezone.now().replace(microsecond=0)
        countries = existing.countries
        self.regions = existing.regions
        self.country_pick = Weighted(
            countries, [FOCUS_WEIGHT if c.code in FOCUS_COUNTRIES else 1 for c in countries]
        )
        subregions = sorted(
            {c.region_id for c in countries if c.region_id}, key=lambda pk: self.regions[pk].code
        )
        countries_in = {pk: [c for c in countries if c.region_id == pk] for pk in subregions}
        approaches, principles = existing.approaches, existing.principles
        real_organisations, real_tags = existing.organisations, existing.tags

        organisations = self.draft_organisations(rng, writer)
        tags = self.draft_tags(rng, {t.name.lower() for t in real_tags})
        pipeline.phase(f"{len(organisations)} organisations, {len(tags)} tags")
        pipeline.wait(lambda: Organisation.objects.bulk_create(organisations))
        pipeline.wait(lambda: Tag.objects.bulk_create(tags))
        organisation_pick = zipf(organisations, offset=20)
        self.tag_pick = zipf(tags, offset=10)

        # Movements are drawn before practices so that the glossary the search documents are
        # built with already holds their acronyms, as it will when they are saved.
        movements = self.draft_movements(rng, writer, n_movements, now)
        acronyms = [(o.acronym, o.name) for o in organisations if o.acronym]
        acronyms += [
            (m.acronym, m.name) for m, *_ in movements if m.acronym and m.status == Status.PUBLISHED
        ]
        documents = SearchDocuments(Glossary(existing.acronyms + acronyms))

        scope_pick = Weighted(*zip(*SCOPES, strict=True))
        status_pick = Weighted(*zip(*STATUSES, strict=True))
        practice_pks = []

        def save_practices(rows, links):
            save_records(Practice, rows)
            practice_pks.extend(practice.pk for practice in rows)
            insert_links(rows, links, owner={TaggedPractice: "content_object_id"})

        pipeline.phase(f"{n_practices} practices with countries, regions, organisations, tags")
        for first in range(0, n_practices, BATCH):
            rows, links = [], []
            for n in range(first + 1, min(first + BATCH, n_practices) + 1):
                scope = scope_pick.one(rng)
                scope_region_id, label, place = None, "", None
                if scope == "national":
                    chosen = [self.country_pick.one(rng)]
                    place = chosen[0].name
                elif scope == "multi-country":
                    chosen = self.country_pick.distinct(rng, rng.randint(2, 6))
                elif scope == "regional":
                    scope_region_id = rng.choice(subregions)
                    place = self.regions[scope_region_id].name
                    label = f"{place} region"
                    pool = countries_in[scope_region_id]
                    chosen = rng.sample(pool, min(len(pool), rng.randint(0, 3)))
                else:
                    chosen, label = [], "Global"
                title = writer.title(place)
                approach = rng.choice(approaches) if approaches else None
                created = now - timedelta(days=rng.randint(0, 8 * 365), seconds=n)
                practice = Practice(
                    title=title,
                    slug=f"{slugify(title)[:100]}-{n}",
                    approach=approach,
                    scope=scope,
                    scope_label=label,
                    scope_region_id=scope_region_id,
                    summary=writer.text(rng.randint(45, 75)),
                    body=writer.paragraphs(rng.randint(240, 360)),
                    status=status_pick.one(rng),
                    is_synthetic=True,
                    created_at=created,
                    updated_at=min(now, created + timedelta(days=rng.randint(0, 400))),
                )
                practice_tags = self.tag_pick.distinct(rng, rng.randint(1, 5))
                if real_tags and rng.random() < 0.1:
                    practice_tags.append(rng.choice(real_tags))
                practice_organisations = organisation_pick.distinct(rng, rng.randint(1, 3))
                if real_organisations and rng.random() < 0.05:
                    practice_organisations.append(rng.choice(real_organisations))
                practice_organisations = list(dict.fromkeys(practice_organisations))
                practice_tags = list(dict.fromkeys(practice_tags))

                names = [
                    name
                    for org in sorted(practice_organisations, key=lambda o: o.name)
                    for name in (org.name, org.acronym)
                ]
                names += self.place_names(chosen, scope_region_id)
                names.append(label)
                if approach:
                    names += [approach.name, approach.theme.name]
                names += [tag.name for tag in practice_tags]
                practice.search_names = documents.names(names)
                rows.append(practice)
                links.append(
                    {
                        Practice.countries.through: ("country_id", [c.pk for c in chosen]),
                        Practice.organisations.through: (
                            "organisation_id",
                            [o.pk for o in practice_organisations],
                        ),
                        Practice.regions.through: (
                            "region_id",
                            sorted(self.region_ids(chosen, scope_region_id)),
                        ),
                        TaggedPractice: ("tag_id", [t.pk for t in practice_tags]),
                    }
                )
            pipeline.submit(save_practices, rows, links)

        pipeline.phase(f"{n_movements} movements and links to practices and principles")
        self.create_movements(rng, movements, n_practices, practice_pks, documents, pipeline)
        # Links to principles, drawn as positions in the list of practices (or movements)
        # whose keys the pipeline fills in as it saves them.
        for through, owner, count, pks in (
            (self.Principle.practices.through, "practice_id", n_practices, practice_pks),
            (self.Principle.movements.through, "movement_id", n_movements, self.movement_pks),
        ):
            drawn = [
                (rng.choice(principles).pk, i)
                for i in range(count)
                if principles and rng.random() < 0.03
            ]
            pipeline.submit(
                lambda through, owner, drawn, pks: save_links(
                    through, ("principle_id", owner), [(p, pks[i]) for p, i in drawn]
                ),
                through,
                owner,
                drawn,
                pks,
            )
        pipeline.phase("first versions of the records, for their history")
        pipeline.submit(
            save_first_versions,
            [(Organisation, [o.pk for o in organisations]), (Practice, practice_pks)]
            + [(self.Movement, self.movement_pks)],
        )
        pipeline.submit(forget_glossary)
        pipeline.submit(content_changed)

    def place_names(self, countries, scope_region_id=None):
        """Countries' names with their regions', as the search documents list them."""
        names = []
        for country in sorted(countries, key=lambda c: c.name):
            names.append(country.name)
            region = self.regions.get(country.region_id)
            if region:
                names.append(region.name)
                if region.parent_id:
                    names.append(self.regions[region.parent_id].name)
        if scope_region_id:
            region = self.regions[scope_region_id]
            names.append(region.name)
            if region.parent_id:
                names.append(self.regions[region.parent_id].name)
        return names

    def region_ids(self, countries, scope_region_id):
        """What Practice.region_ids() gives: the countries' sub-regions and continents, and the
        region of scope with its continent."""
        ids = set()
        for region_id in [c.region_id for c in countries] + [scope_region_id]:
            if region_id:
                ids.add(region_id)
                if self.regions[region_id].parent_id:
                    ids.add(self.regions[region_id].parent_id)
        return ids

    def draft_organisations(self, rng, writer):
        rows = []
        for n in range(1, ORGANISATIONS + 1):
            country = self.country_pick.one(rng)
            focus = writer.name_words(rng.randint(1, 3))
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

    def draft_tags(self, rng, taken):
        rows = []
        while len(rows) < TAGS:
            name = " ".join(rng.sample(WORDS[:150], 2)).replace("-", " ")
            if name.lower() in taken:
                continue
            taken.add(name.lower())
            rows.append(Tag(name=name, slug=f"{SYNTHETIC_PREFIX}{slugify(name)}"))
        return rows

    def draft_movements(self, rng, writer, n_movements, now):
        """[(unsaved movement, countries, tags, figure)] for `n_movements` movements."""
        from movements.models import Figure

        drafts = []
        for n in range(1, n_movements + 1):
            kind = rng.choice(list(MOVEMENT_FORMS))
            chosen = self.country_pick.distinct(rng, rng.choice([1, 1, 1, 2, 3]))
            focus = writer.name_words(rng.randint(1, 3))
            name = f"{chosen[0].name} {focus} {MOVEMENT_FORMS[kind]}"
            initials = "".join(w[0] for w in name.split() if w[0].isalpha()).upper()
            created = now - timedelta(days=rng.randint(0, 8 * 365), seconds=n)
            movement = self.Movement(
                name=name,
                acronym=initials if rng.random() < 0.05 and len(initials) > 2 else "",
                slug=f"{slugify(name)[:100]}-{n}",
                kind=kind,
                founded_year=rng.randint(1950, now.year - 1) if rng.random() < 0.8 else None,
                description=writer.paragraphs(rng.randint(60, 160)),
                status=Status.PUBLISHED if rng.random() < 0.9 else Status.DRAFT,
                is_synthetic=True,
                created_at=created,
                updated_at=min(now, created + timedelta(days=rng.randint(0, 400))),
            )
            movement_tags = self.tag_pick.distinct(rng, rng.randint(1, 3))
            figure = (
                Figure(measure=rng.choice(Figure.Measure.values), value=rng.randint(20, 200_000))
                if rng.random() < 0.3
                else None
            )
            drafts.append((movement, chosen, movement_tags, figure))
        return drafts

    def create_movements(self, rng, drafts, n_practices, practice_pks, documents, pipeline):
        from movements.models import Figure, TaggedMovement

        Movement = self.Movement
        self.movement_pks = []

        def save(rows, links, figures):
            save_records(Movement, rows)
            self.movement_pks.extend(movement.pk for movement in rows)
            for record_links in links:
                field, positions = record_links[Movement.practices.through]
                record_links[Movement.practices.through] = (
                    field,
                    [practice_pks[i] for i in positions],
                )
            insert_links(rows, links, owner={TaggedMovement: "content_object_id"})
            for movement, figure in zip(rows, figures, strict=True):
                if figure:
                    figure.movement_id = movement.pk
            Figure.objects.bulk_create([f for f in figures if f], batch_size=5000)

        for first in range(0, len(drafts), BATCH):
            rows, links, figures = [], [], []
            for movement, countries, tags, figure in drafts[first : first + BATCH]:
                names = [movement.get_kind_display(), *self.place_names(countries)]
                names += [tag.name for tag in tags]
                movement.search_names = documents.names(
                    names, own=(movement.name, movement.acronym)
                )
                # Positions in the list of practices, whose keys exist once they are saved.
                practices = rng.sample(range(n_practices), min(n_practices, rng.randint(0, 6)))
                rows.append(movement)
                figures.append(figure)
                links.append(
                    {
                        Movement.countries.through: ("country_id", [c.pk for c in countries]),
                        TaggedMovement: ("tag_id", [t.pk for t in tags]),
                        Movement.practices.through: ("practice_id", practices),
                    }
                )
            pipeline.submit(save, rows, links, figures)


DONE, ABORT = object(), object()


class Pipeline:
    """Writes what the command draws, in order, in one transaction.

    On PostgreSQL (outside a transaction) the writes run in a second thread with its own
    connection, so the next batch is drawn while the database works on the last one; the two
    cores then share the work. The GIN indexes are dropped for the load and rebuilt after it
    (gin_indexes_deferred). Elsewhere, and inside a transaction (tests), it writes inline.
    """

    def __init__(self, write, gin=()):
        self.write = write
        self.gin = gin
        self.threaded = is_postgresql() and not connection.in_atomic_block
        self.error = None
        self.phase_label = None

    def __enter__(self):
        self.started = time.monotonic()
        if self.threaded:
            self.jobs = queue.Queue(maxsize=3)
            self.thread = threading.Thread(target=self.work, name="seed-writer", daemon=True)
            self.thread.start()
        else:
            self.stack = ExitStack()
            self.stack.enter_context(transaction.atomic())
            self.stack.enter_context(gin_indexes_deferred(*self.gin))
        return self

    def __exit__(self, kind, error, traceback):
        if error is None:
            self.phase(None)
        if self.threaded:
            self.jobs.put(ABORT if error else DONE)
            self.thread.join()
            if self.error is not None and error is None:
                raise self.error
        else:
            self.stack.__exit__(kind, error, traceback)
        if error is None and is_postgresql():
            self.write(f"  GIN indexes rebuilt at {self.elapsed():.1f} s")
        return False

    def work(self):
        job = None
        try:
            with transaction.atomic(), gin_indexes_deferred(*self.gin):
                while (job := self.jobs.get()) is not DONE:
                    if job is ABORT:
                        raise CommandError("Stopped: nothing was saved.")
                    job()
        except BaseException as error:
            self.error = error
            while job not in (DONE, ABORT):
                job = self.jobs.get()
        finally:
            connections.close_all()

    def submit(self, job, *args):
        """Run job(*args) after everything submitted before it."""
        if self.error is not None:
            raise self.error
        if self.threaded:
            self.jobs.put(lambda: job(*args))
        else:
            job(*args)

    def wait(self, job):
        """Run `job` after everything submitted before it and return its result."""
        if not self.threaded:
            return job()
        done, result = threading.Event(), []
        self.submit(lambda: (result.append(job()), done.set()))
        while not done.wait(0.5):
            if self.error is not None:
                raise self.error
        return result[0]

    def phase(self, label):
        """End the phase under way, whose line says when its writes were done, and start the
        next one."""
        if self.phase_label is not None:
            ending = self.phase_label
            self.submit(lambda: self.write(f"  {ending}: saved at {self.elapsed():.1f} s"))
        self.phase_label = label

    def elapsed(self):
        return time.monotonic() - self.started


def save_first_versions(records):
    """A first version of each record, with its tags, figures and links, as the seed content
    has: `records` is [(model, primary keys)], read back in batches and written in bulk."""
    for model, pks in records:
        for first in range(0, len(pks), BATCH):
            groups = version_groups(model, pks[first : first + BATCH])
            write_initial_versions(groups, comment=HISTORY_COMMENT)


def save_records(model, rows):
    """Insert the unsaved `rows` of a searchable model, with their search vectors, and set their
    primary keys.

    On PostgreSQL the keys are reserved from the table's sequence and the rows COPYed into a
    staging table, from which one INSERT ... SELECT moves them with the vector of the model's
    SearchSpec: each row is written once, and no SQL is compiled per row in Python (which holds
    the GIL the drawing thread needs). Elsewhere there is no vector, and bulk_create does it.
    """
    if not is_postgresql():
        with own_timestamps(model):
            model.objects.bulk_create(rows, batch_size=BATCH)
        return
    meta = model._meta
    vector_field = meta.get_field("search_vector")
    fields = [f for f in meta.concrete_fields if f not in (meta.pk, vector_field)]
    columns = ", ".join(quote(column) for column in [meta.pk.column, *(f.column for f in fields)])
    table = quote(meta.db_table)
    query = Query(model)
    vector, params = query.get_compiler(connection=connection).compile(
        spec_for(model).vector().resolve_expression(query)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
        cursor.execute(
            f"CREATE TEMPORARY TABLE seed_staging AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY seed_staging ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
                copy.write_row([row.pk, *values])
        # The vector's SQL names the model's table: the staging table takes its name here.
        cursor.execute(
            f"INSERT INTO {table} ({columns}, {quote(vector_field.column)}) "
            f"SELECT {columns}, {vector} FROM seed_staging AS {table}",
            params,
        )
        cursor.execute("DROP TABLE seed_staging")


def save_links(model, fields, rows):
    """Insert link rows, each a tuple of values for `fields` (attribute names of `model`): by
    COPY on PostgreSQL, else by bulk_create."""
    if not rows:
        return
    if not is_postgresql():
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=5000
        )
        return
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def insert_links(records, links, owner):
    """Insert the link rows of saved `records`: `links` holds, per record, {link model: (target
    field, target ids)}; the owner field is `<model>_id` unless `owner` names it."""
    rows = {}
    for record, record_links in zip(records, links, strict=True):
        for model, (field, ids) in record_links.items():
            own = owner.get(model, f"{record._meta.model_name}_id")
            rows.setdefault((model, own, field), []).extend((record.pk, target) for target in ids)
    for (model, own, field), pairs in rows.items():
        save_links(model, (own, field), pairs)
