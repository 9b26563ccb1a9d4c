"""The evidence rubric: its levels, the directions of an effect, and what each means in plain
words. /evidence/rubric/ publishes it; an assessment records the version it was rated under."""

from django.db import models
from django.utils.translation import gettext_lazy as _

VERSION = "1"


class Level(models.TextChoices):
    """How strong the evidence for one outcome of a practice is, weakest first."""

    NOT_ASSESSED = "not-assessed", _("Not yet assessed")
    PRACTICE_BASED = "practice-based", _("Practice-based")
    INDEPENDENTLY_EVALUATED = "independently-evaluated", _("Independently evaluated")
    RIGOROUSLY_TESTED = "rigorously-tested", _("Rigorously tested")


class Direction(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    MIXED = "mixed", _("Mixed")
    NONE = "none", _("No effect")
    NEGATIVE = "negative", _("Negative")


LEVEL_MEANINGS = {
    Level.NOT_ASSESSED: _(
        "Nobody has weighed the evidence for this outcome yet. The practice may work or not: "
        "we cannot say either way."
    ),
    Level.PRACTICE_BASED: _(
        "The movements and organisations that carry out the practice have written down what "
        "they did and what changed, in their own reports, case studies or reflections. This "
        "knowledge comes from doing the work and is worth having, but nobody outside the "
        "practice has checked it."
    ),
    Level.INDEPENDENTLY_EVALUATED: _(
        "People besides those who run the practice (an independent evaluator, or the "
        "participants themselves in a participatory evaluation) have examined this outcome "
        "with a stated method and reported what changed. Nobody compared it with people or "
        "places that did not take part."
    ),
    Level.RIGOROUSLY_TESTED: _(
        "The outcome was measured against a comparison: a randomised evaluation or a "
        "quasi-experimental study compared those who took part with similar people or places "
        "that did not, so the change can be put down to the practice with some confidence."
    ),
}

DIRECTION_MEANINGS = {
    Direction.POSITIVE: _("The evidence shows the outcome improved."),
    Direction.MIXED: _("It improved for some people, places or measures and not for others."),
    Direction.NONE: _("The evidence shows no change in the outcome."),
    Direction.NEGATIVE: _("The evidence shows the outcome got worse."),
}

# The kinds of study each level needs at least one of (a level is never higher than its
# studies support); an unassessed outcome needs none.
STUDIES_NEEDED = {
    Level.PRACTICE_BASED: None,  # any study, the implementer's own account included
    Level.INDEPENDENTLY_EVALUATED: {
        "independent",
        "participatory",
        "quasi-experimental",
        "randomised",
    },
    Level.RIGOROUSLY_TESTED: {"quasi-experimental", "randomised"},
}


def highest_level(kind):
    """The highest level a study of `kind` (a Study.Kind value) can support on its own."""
    supported = [
        level for level, needed in STUDIES_NEEDED.items() if needed is None or kind in needed
    ]
    return supported[-1]
