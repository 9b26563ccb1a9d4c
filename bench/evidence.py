"""The synthetic corpus's evidence: outcomes, studies and assessments with a realistic spread.
Most practices have no assessment; of those rated, most rest on the implementer's own
monitoring, and few on a randomised or quasi-experimental study. Most are confirmed; the rest
wait for a second reviewer, as on a live site."""

from django.utils import timezone
from django.utils.text import slugify

from evidence.models import Assessment, Outcome, Study
from evidence.rubric import STUDIES_NEEDED, Direction, Level

from .bulk import save_links
from .text import Weighted, zipf

OUTCOMES = 24
ASSESSED = 0.35  # the share of practices with at least one assessment
CONFIRMED = 0.85
LEVELS = [
    (Level.NOT_ASSESSED, 20),
    (Level.PRACTICE_BASED, 55),
    (Level.INDEPENDENTLY_EVALUATED, 20),
    (Level.RIGOROUSLY_TESTED, 5),
]
KINDS = [
    (Study.Kind.OWN_MONITORING, 60),
    (Study.Kind.PARTICIPATORY, 12),
    (Study.Kind.INDEPENDENT, 18),
    (Study.Kind.QUASI_EXPERIMENTAL, 7),
    (Study.Kind.RANDOMISED, 3),
]
DIRECTIONS = [
    (Direction.POSITIVE, 70),
    (Direction.MIXED, 18),
    (Direction.NONE, 9),
    (Direction.NEGATIVE, 3),
]


def draft_outcomes(corpus, prefix):
    rows = []
    for n in range(1, OUTCOMES + 1):
        name = corpus.writer.name_words(corpus.rng.randint(2, 4)).capitalize()
        rows.append(
            Outcome(name=name, slug=f"{prefix}{slugify(name)[:80]}-{n}", source=corpus.source)
        )
    return rows


def draft_studies(corpus, prefix, count):
    rng, kind_pick = corpus.rng, Weighted(*zip(*KINDS, strict=True))
    return [
        Study(
            title=corpus.writer.title(),
            slug=f"{prefix}study-{n}",
            authors=corpus.writer.name_words(2),
            year=rng.randint(2000, 2025),
            kind=kind_pick.one(rng),
        )
        for n in range(1, count + 1)
    ]


def studies_for(studies):
    """{level: the studies that support it}, for drawing a study a rating may rest on."""
    return {
        level: [s for s in studies if needed is None or s.kind in needed]
        for level, needed in STUDIES_NEEDED.items()
    }


def create(corpus, prefix):
    """Draw and write the evidence of the corpus's practices (after they are submitted)."""
    rng, pipeline = corpus.rng, corpus.pipeline
    outcomes = draft_outcomes(corpus, prefix)
    studies = draft_studies(corpus, prefix, max(10, corpus.n_practices // 25))
    pipeline.wait(lambda: Outcome.objects.bulk_create(outcomes))
    pipeline.wait(lambda: Study.objects.bulk_create(studies))
    outcome_pick = zipf(outcomes, offset=4)
    level_pick = Weighted(*zip(*LEVELS, strict=True))
    direction_pick = Weighted(*zip(*DIRECTIONS, strict=True))
    supporting = studies_for(studies)
    now = timezone.now()
    drawn = []  # (position of the practice, outcome, level, direction, confirmed, study)
    for position in range(corpus.n_practices):
        if rng.random() >= ASSESSED:
            continue
        for outcome in outcome_pick.distinct(rng, rng.randint(1, 3)):
            level = level_pick.one(rng)
            while level != Level.NOT_ASSESSED and not supporting[level]:
                level = Level.values[Level.values.index(level) - 1]  # no study supports it
            rated = level != Level.NOT_ASSESSED
            pool = supporting.get(level) or []
            drawn.append(
                (
                    position,
                    outcome,
                    level,
                    direction_pick.one(rng) if rated else "",
                    rng.random() < CONFIRMED,
                    rng.choice(pool) if rated and pool else None,
                )
            )

    def save(pks):
        rows = [
            Assessment(
                practice_id=pks[position],
                outcome=outcome,
                level=level,
                direction=direction,
                confirmed_at=now if confirmed else None,
            )
            for position, outcome, level, direction, confirmed, _study in drawn
        ]
        Assessment.objects.bulk_create(rows, batch_size=2000)
        links = [(row.pk, item[5].pk) for row, item in zip(rows, drawn, strict=True) if item[5]]
        save_links(Assessment.studies.through, ("assessment_id", "study_id"), links)

    pipeline.submit(save, corpus.practice_pks)
    return len(drawn)
