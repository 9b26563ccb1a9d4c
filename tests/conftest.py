"""Shared fixtures: the real seed content as `make run` loads it."""

import pytest
from django.core.management import call_command


@pytest.fixture
def content(db):
    """The knowledge base as `make run` seeds it, from fixtures/."""
    call_command("load_content", verbosity=0)
