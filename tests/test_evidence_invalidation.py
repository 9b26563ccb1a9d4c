"""An assessment saved, confirmed or deleted shows on the next request on every cached page that
shows it: the practice lists filtered by its outcome or level, the unfiltered list (its facet
counts), the practice's page and the gap map; pages that do not show practices' evidence stay
cached. A practice's new title shows on the lists narrowed to its outcomes and leaves those of
other outcomes warm (core.cache value topics, declared by the evidence app)."""

import pytest
from django.utils import timezone

from core.models import Status
from evidence.models import Assessment
from evidence.rubric import Direction, Level
from tests.factories import make_approach, make_practice
from tests.test_evidence_models import make_assessment, make_outcome
from tests.test_invalidation import state, warm
from tests.test_page_cache import caching, fetch  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("caching")


@pytest.fixture
def assessed(content):
    """A practice with a provisional assessment for "incomes", and one confirmed for "voice"."""
    approach = make_approach()
    practice = make_practice(approach=approach, title="Savings circles")
    assessment = make_assessment(practice, make_outcome("incomes"))
    other = make_practice(approach=make_approach(), title="Radio dramas")
    make_assessment(
        other,
        make_outcome("voice"),
        level=Level.INDEPENDENTLY_EVALUATED,
        direction=Direction.POSITIVE,
        confirmed_at=timezone.now(),
    )
    showing = [
        "/practices/?outcome=incomes",
        "/practices/?evidence=practice-based",
        "/practices/?evidence=not-assessed",
        f"/practices/?approach={approach.slug}",  # its facet counts
        "/practices/",
        practice.get_absolute_url(),
        "/evidence/",
        "/evidence/?evidence=practice-based&format=csv",
        "/api/v1/practices/?outcome=incomes",
    ]
    return assessment, other, showing


def confirm(assessment):
    assessment.confirmed_at = timezone.now()
    assessment.save()


def test_a_confirmation_shows_on_every_page_that_shows_it(client, assessed):
    assessment, _, showing = assessed
    warm(client, *showing, "/movements/", "/guidance/")

    confirm(assessment)

    for url in showing:
        assert state(client, url)[0] == "miss", url
    assert "Savings circles" in state(client, "/practices/?outcome=incomes")[1]
    assert "Savings circles" in state(client, "/practices/?evidence=practice-based")[1]
    assert "Savings circles" not in state(client, "/practices/?evidence=not-assessed")[1]
    assert "Incomes" in state(client, assessed[0].practice.get_absolute_url())[1]
    # Pages that show no practice's evidence stay cached.
    assert state(client, "/movements/")[0] == "hit"
    assert state(client, "/guidance/")[0] == "hit"


def test_a_new_level_and_a_delete_show_on_the_next_request(client, assessed):
    assessment, _, _ = assessed
    confirm(assessment)
    urls = ["/practices/?evidence=rigorously-tested", "/evidence/", "/practices/?outcome=incomes"]
    warm(client, *urls)

    assessment.level = Level.RIGOROUSLY_TESTED
    assessment.save()
    assert "Savings circles" in state(client, urls[0])[1]
    assert '<td class="level-rigorously-tested">' in state(client, urls[1])[1]

    warm(client, *urls)
    Assessment.objects.get(pk=assessment.pk).delete()
    for url in urls:
        status, page = state(client, url)
        assert status == "miss" and "Savings circles" not in page.split("<main")[1], url


def test_a_new_title_shows_on_the_lists_of_its_outcomes_only(client, assessed):
    assessment, other, _ = assessed
    confirm(assessment)
    own, others = "/practices/?outcome=incomes", "/practices/?outcome=voice"
    warm(client, own, others, other.get_absolute_url())

    practice = assessment.practice
    practice.title = "Savings circles, renamed"
    practice.save()

    status, page = state(client, own)
    assert status == "miss" and "Savings circles, renamed" in page
    assert state(client, others)[0] == "hit"
    assert state(client, other.get_absolute_url())[0] == "hit"  # they share no outcome


def test_a_practice_page_shows_a_new_title_of_one_sharing_an_outcome(client, assessed):
    assessment, other, _ = assessed
    confirm(assessment)
    sharing = make_practice(title="Sharing only the outcome")
    make_assessment(sharing, assessment.outcome, confirmed_at=timezone.now())
    url = assessment.practice.get_absolute_url()
    warm(client, url)
    assert "Sharing only the outcome" in state(client, url)[1]

    sharing.title = "Renamed, and sharing the outcome"
    sharing.save()

    status, page = state(client, url)
    assert status == "miss" and "Renamed, and sharing the outcome" in page


@pytest.mark.parametrize("url", ["/evidence/", "/evidence/?evidence=practice-based&format=csv"])
def test_the_gap_map_stays_cached_through_a_new_summary_and_shows_a_new_approach(
    client, assessed, url
):
    """The map counts practices by approach and place, never by their text."""
    assessment, _, _ = assessed
    confirm(assessment)
    practice = assessment.practice
    warm(client, url)

    practice.summary = "A curator's new summary."
    practice.save()
    assert state(client, url)[0] == "hit"

    moved = make_approach(name="Community radio listening clubs")
    practice.approach = moved
    practice.save()
    status, page = state(client, url)
    assert status == "miss"
    assert f"approach={moved.slug}&outcome=incomes" in page.replace("&amp;", "&")


def test_the_gap_map_shows_a_withdrawal_and_a_renamed_approach(client, assessed):
    assessment, _, _ = assessed
    confirm(assessment)
    practice = assessment.practice
    warm(client, "/evidence/")

    practice.approach.name = "Village savings and loan circles"
    practice.approach.save()
    status, page = state(client, "/evidence/")
    assert status == "miss" and "Village savings and loan circles" in page
    assert f"approach={practice.approach.slug}&amp;outcome=incomes" in page

    practice.status = Status.DRAFT
    practice.save()
    status, page = state(client, "/evidence/")
    assert status == "miss" and f"approach={practice.approach.slug}&amp;outcome=incomes" not in page
