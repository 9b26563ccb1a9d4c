"""The API keeps its published contract: the OpenAPI description at /api/schema/ is valid, and
Schemathesis, sending generated and deliberately invalid requests to every operation through the
WSGI application, finds no server error and no answer that breaks the description."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from config.wsgi import application

# Enough to reach every parameter of every operation; the whole file runs in well under a minute.
EXAMPLES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 6}

# What the API chose to answer otherwise than these checks expect: a well-formed filter value
# that names nothing is a 400 (the schema cannot list every tag), and values past a limit (more
# than 20 of a filter, longer than 100 characters) are cut as on the list pages, not refused.
LENIENT = [positive_data_acceptance, negative_data_rejection]


def test_the_schema_is_valid_openapi_3_1(client, db):
    schema = client.get("/api/schema/").json()
    validate(schema)
    assert schema["openapi"].startswith("3.1")
    lists = {path for path in schema["paths"] if path.count("/") == 4}
    assert {
        "/api/v1/practices/",
        "/api/v1/movements/",
        "/api/v1/principles/",
        "/api/v1/sections/",
        "/api/v1/organisations/",
        "/api/v1/countries/",
        "/api/v1/regions/",
        "/api/v1/themes/",
        "/api/v1/approaches/",
        "/api/v1/tags/",
        "/api/v1/search/",
    } <= lists
    practice_filters = {
        p["name"] for p in schema["paths"]["/api/v1/practices/"]["get"]["parameters"]
    }
    assert practice_filters >= {"country", "region", "approach", "theme", "tag", "q", "cursor"}


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI application as Django's test client runs it: without closing the database
    connection at the end of each request, which would end the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", list(EXAMPLES))
def test_generated_requests_get_no_server_error_and_answers_fit_the_schema(
    content, wsgi_in_test_transaction, mode
):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_in_test_transaction)
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES[mode],
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            # Uncompressed: the WSGI test client does not undo the site's gzip.
            case.call_and_validate(headers={"Accept-Encoding": "identity"}, excluded_checks=LENIENT)

        check()
        tested += 1
    assert tested >= 21
