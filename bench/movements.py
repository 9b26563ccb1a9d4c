"""The synthetic corpus's movements: drawn before the practices (their acronyms belong in the
glossary the practices' search documents are built with), saved after them (they link to them)."""

from datetime import timedelta

from django.utils.text import slugify

from core.models import Status
from movements.models import Figure, Movement, TaggedMovement

from .bulk import BATCH, insert_links, save_records

FORMS = {
    "network": "Network",
    "coalition": "Coalition",
    "umbrella": "Federation",
    "union": "Union",
    "movement": "Movement",
}


def draft(corpus, n_movements):
    """[(unsaved movement, countries, tags, figure)] for `n_movements` movements."""
    rng, writer, now = corpus.rng, corpus.writer, corpus.now
    drafts = []
    for n in range(1, n_movements + 1):
        kind = rng.choice(list(FORMS))
        countries = corpus.country_pick.distinct(rng, rng.choice([1, 1, 1, 2, 3]))
        focus = writer.name_words(rng.randint(1, 3))
        name = f"{countries[0].name} {focus} {FORMS[kind]}"
        initials = "".join(w[0] for w in name.split() if w[0].isalpha()).upper()
        created = now - timedelta(days=rng.randint(0, 8 * 365), seconds=n)
        movement = Movement(
            name=name,
            acronym=initials if rng.random() < 0.05 and len(initials) > 2 else "",
            slug=f"{slugify(name)[:100]}-{n}",
            kind=kind,
            founded_year=rng.randint(1950, now.year - 1) if rng.random() < 0.8 else None,
            description=writer.paragraphs(rng.randint(60, 160)),
            status=Status.PUBLISHED if rng.random() < 0.9 else Status.DRAFT,
            source=corpus.source,
            created_at=created,
            updated_at=min(now, created + timedelta(days=rng.randint(0, 400))),
        )
        tags = corpus.tag_pick.distinct(rng, rng.randint(1, 3))
        figure = (
            Figure(measure=rng.choice(Figure.Measure.values), value=rng.randint(20, 200_000))
            if rng.random() < 0.3
            else None
        )
        drafts.append((movement, countries, tags, figure))
    return drafts


def create(corpus, drafts):
    """Give the drafted movements their search documents and links to practices, and submit
    them to the corpus's pipeline in batches."""
    rng, practice_pks = corpus.rng, corpus.practice_pks

    def save(rows, links, figures):
        save_records(Movement, rows)
        corpus.movement_pks.extend(movement.pk for movement in rows)
        for record_links in links:
            field, positions = record_links[Movement.practices.through]
            record_links[Movement.practices.through] = (field, [practice_pks[i] for i in positions])
        insert_links(rows, links, owner={TaggedMovement: "content_object_id"})
        for movement, figure in zip(rows, figures, strict=True):
            if figure:
                figure.movement_id = movement.pk
        Figure.objects.bulk_create([f for f in figures if f], batch_size=5000)

    n_practices = corpus.n_practices
    for first in range(0, len(drafts), BATCH):
        rows, links, figures = [], [], []
        for movement, countries, tags, figure in drafts[first : first + BATCH]:
            countries = sorted(countries, key=lambda c: c.name)
            movement.search_names = corpus.documents.names(
                movement, own=(movement.name, movement.acronym), countries=countries, tags=tags
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
        corpus.pipeline.submit(save, rows, links, figures)
