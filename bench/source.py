"""The synthetic corpus's own source document. Every synthetic practice, movement and
organisation cites it: that is how bench/purge.py tells them from real content."""

from practices.models import SourceDocument

SOURCE = {
    "slug": "synthetic-benchmark-corpus",
    "title": "Synthetic benchmark corpus",
    "short_title": "Synthetic corpus",
    "description": "Made-up records for benchmarks (manage.py seed_synthetic); not real content.",
}


def synthetic_source():
    """The corpus's source document, created the first time the corpus is seeded."""
    return SourceDocument.objects.get_or_create(slug=SOURCE["slug"], defaults=SOURCE)[0]
