"""The synthetic corpus's evidence: seed_synthetic writes outcomes, studies and assessments with
a realistic spread (most practices unassessed, few rigorous studies, every rating supported by
its study), the gap map and the evidence filters run as many queries at 300 practices as at 50,
and --clear removes exactly the synthetic evidence."""

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from bench.corpus import SYNTHETIC_PREFIX
from evidence.models import Assessment, Outcome, Study, studies_missing
from evidence.rubric import Level
from search.postgres import is_postgresql
from tests.test_performance import clear, seed, synthetic, synthetic_practices

PAGES = [
    "/evidence/",
    "/evidence/?region=africa&evidence=independently-evaluated",
    "/practices/?evidence=practice-based",
    "/practices/?evidence=not-assessed&scope=national",
]


def evidence_rows():
    return {
        model._meta.label: set(model.objects.values_list("pk", flat=True))
        for model in (Outcome, Study, Assessment, Assessment.studies.through)
    }


def test_the_seeder_writes_evidence_with_a_realistic_spread(content):
    before = evidence_rows()
    seed(practices=300, movements=10)
    practices = synthetic_practices()
    assessments = Assessment.objects.filter(practice__in=practices)
    assessed = practices.filter(assessments__isnull=False).distinct().count()
    assert 0.2 * 300 < assessed < 0.5 * 300  # most practices have none
    levels = dict(assessments.values_list("level").annotate(n=Count("pk")).order_by())
    assert levels[Level.PRACTICE_BASED] > levels.get(Level.RIGOROUSLY_TESTED, 0)
    assert set(levels) >= {Level.NOT_ASSESSED, Level.PRACTICE_BASED}
    assert assessments.confirmed().count() > assessments.provisional().count() > 0
    assert synthetic(Outcome).count() >= 10
    for assessment in assessments.prefetch_related("studies")[:200]:
        assert not studies_missing(assessment.level, assessment.studies.all()), assessment

    clear()
    assert evidence_rows() == before


def test_the_evidence_pages_run_as_many_queries_with_300_practices_as_with_50(client, content):
    def queries():
        counts = {}
        for url in PAGES:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            counts[url] = len(captured)
        return counts

    seed(practices=50, movements=5)
    with_50 = queries()
    seed(practices=300, movements=10, clear=True)
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    with_300 = queries()
    for url, count in with_300.items():
        assert count <= with_50[url], (url, with_50[url], count)
        assert count <= 21, url  # The keys of a filtered list read once (core.keys.keyed).
    assert Study.objects.filter(slug__startswith=SYNTHETIC_PREFIX).exists()
