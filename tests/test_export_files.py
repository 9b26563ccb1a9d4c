"""Exports built once per content version and filter, served from a file with an ETag, and a
bound on how many are built at once (core/exportfiles.py)."""

import csv
import gzip
import io
import json
from contextlib import ExitStack

import pytest
from django.urls import reverse

from core import exportfiles
from core.models import Status
from practices.models import Country, Practice
from tests.factories import make_practice

PRACTICES = reverse("practices:practice-list")
MOVEMENTS = reverse("movements:movement-list")
SEARCH = reverse("atlas:search")
KENYA_CSV = {"country": "KE", "format": "csv"}


def body(response):
    return b"".join(response.streaming_content).decode("utf-8")


def slugs(response):
    return {row["slug"] for row in csv.DictReader(io.StringIO(body(response)[1:]))}


def built_files(folder):
    """The exports built (each also kept gzipped)."""
    names = {path.name for path in folder.glob("*") if exportfiles.BUILT_NAME.match(path.name)}
    plain = {name for name in names if not name.endswith(".gz")}
    assert names == plain | {name + ".gz" for name in plain}
    return sorted(plain)


@pytest.fixture
def kenyan(db):
    kenya = Country.objects.get(code="KE")
    made = [make_practice(countries=[kenya]) for _ in range(3)]
    make_practice(countries=[kenya], status=Status.DRAFT, title="Kenyan draft")
    return {practice.slug for practice in made}


def test_the_second_request_is_served_from_the_file(
    client, kenyan, export_files, django_assert_max_num_queries
):
    first = client.get(PRACTICES, KENYA_CSV)
    assert first.status_code == 200
    assert slugs(first) == kenyan
    assert len(built_files(export_files)) == 1
    with django_assert_max_num_queries(2):  # The country's name, to check the filter.
        second = client.get(PRACTICES, KENYA_CSV)
        assert second.status_code == 200
        assert slugs(second) == kenyan
    assert second["ETag"] == first["ETag"]
    assert second["Content-Length"] == first["Content-Length"]
    assert second["Content-Type"] == "text/csv; charset=utf-8"
    assert second["Content-Disposition"].startswith('attachment; filename="practice-atlas-')


def test_a_matching_etag_or_date_gets_304(client, kenyan):
    first = client.get(PRACTICES, KENYA_CSV)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert "public" in first["Cache-Control"]
    again = client.get(PRACTICES, KENYA_CSV, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    since = client.get(PRACTICES, KENYA_CSV, headers={"if-modified-since": last_modified})
    assert since.status_code == 304
    other = client.get(PRACTICES, KENYA_CSV, headers={"if-none-match": '"something-else"'})
    assert other.status_code == 200


def test_a_client_that_accepts_gzip_gets_the_file_compressed_once(client, kenyan):
    plain = client.get(PRACTICES, KENYA_CSV)
    packed = client.get(PRACTICES, KENYA_CSV, headers={"accept-encoding": "gzip, deflate"})
    assert packed.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert "Content-Encoding" not in plain
    zipped = b"".join(packed.streaming_content)
    assert int(packed["Content-Length"]) == len(zipped)
    assert gzip.decompress(zipped).decode() == body(plain)
    assert packed["ETag"] != plain["ETag"]  # Two representations, two validators.
    again = client.get(
        PRACTICES,
        KENYA_CSV,
        headers={"accept-encoding": "gzip", "if-none-match": packed["ETag"]},
    )
    assert again.status_code == 304


def test_a_content_change_gives_a_new_etag_and_new_content(client, kenyan, export_files):
    first = client.get(PRACTICES, KENYA_CSV)
    body(first)
    added = make_practice(countries=[Country.objects.get(code="KE")])
    second = client.get(PRACTICES, KENYA_CSV, headers={"if-none-match": first["ETag"]})
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert slugs(second) == kenyan | {added.slug}
    assert len(built_files(export_files)) == 1  # The older version's file is gone,
    # and its lock file with it: one lock file for each export built.
    assert [path.name for path in export_files.glob("*.csv.lock")] == [
        name + ".lock" for name in built_files(export_files)
    ]


@pytest.mark.parametrize(
    "odd",
    [
        {"country": ["KE", "ke", "KE\x00", " KE "]},
        {"country": ["KE", "ZZ", "x" * 5000], "region": "<script>"},
        {"country": "KE", "page": ["abc", "-1", "9" * 40], "utm": "x" * 3000},
        {"country": "KE", "sort": ["nonsense", "title"], "theme": "\x00"},
    ],
)
def test_odd_parameters_give_the_clean_requests_file(client, kenyan, export_files, odd):
    clean = client.get(PRACTICES, KENYA_CSV)
    odd_response = client.get(PRACTICES, {**odd, "format": "csv"})
    assert odd_response.status_code == 200
    assert odd_response["ETag"] == clean["ETag"]
    assert slugs(odd_response) == kenyan
    assert len(built_files(export_files)) == 1


def test_files_kept_are_bounded_whatever_is_asked(client, db, export_files, settings):
    settings.EXPORT_CACHE_FILES = 2
    make_practice(title="Water committees")
    for word in ("water", "committees", "garbage1", "garbage2", "garbage3"):
        assert client.get(PRACTICES, {"q": word, "format": "json"}).status_code == 200
    assert len(built_files(export_files)) == 2


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_past_the_bound_a_new_export_gets_429_with_retry_after(client, kenyan, settings, fmt):
    settings.EXPORT_BUILDS_AT_ONCE = 2
    settings.EXPORT_RETRY_AFTER = 7
    built = client.get(PRACTICES, KENYA_CSV)
    body(built)
    with ExitStack() as held:
        for _ in range(2):  # Every slot, as two builds in progress would hold them.
            held.enter_context(exportfiles.build_slot())
        refused = client.get(PRACTICES, {"country": "KE", "format": fmt, "sort": "updated"})
        assert refused.status_code == 429
        assert refused["Retry-After"] == "7"
        assert "no-store" in refused["Cache-Control"]
        assert refused["Content-Type"] == "text/plain; charset=utf-8"
        assert "try again in 7 seconds" in refused.content.decode()
        # An export built already is served all the same.
        served = client.get(PRACTICES, KENYA_CSV)
        assert served.status_code == 200 and slugs(served) == kenyan
    after = client.get(PRACTICES, {"country": "KE", "format": fmt, "sort": "updated"})
    assert after.status_code == 200


def test_the_refusal_is_translated(client, kenyan):
    with exportfiles.build_slot(), exportfiles.build_slot():
        refused = client.get(PRACTICES, KENYA_CSV, headers={"accept-language": "fr"})
    assert refused.status_code == 429
    assert "Trop d’exports" in refused.content.decode()


def test_staff_and_visitors_get_the_same_published_records(client, admin_client, kenyan):
    visitor = client.get(PRACTICES, KENYA_CSV)
    staff = admin_client.get(PRACTICES, KENYA_CSV)
    assert slugs(visitor) == slugs(staff) == kenyan
    assert visitor["ETag"] == staff["ETag"]
    assert Practice.objects.filter(title="Kenyan draft").exists()


def test_movement_and_search_exports_are_files_too(client, content, export_files):
    for url, params in ((MOVEMENTS, {"format": "csv"}), (SEARCH, {"q": "women", "format": "json"})):
        first = client.get(url, params)
        assert first.status_code == 200 and first["ETag"]
        assert client.get(url, params, headers={"if-none-match": first["ETag"]}).status_code == 304
    assert len(built_files(export_files)) == 2


def test_without_a_content_version_an_export_is_built_and_not_kept(
    client, kenyan, export_files, monkeypatch
):
    monkeypatch.setattr(exportfiles, "versioned", lambda prefix, parts: None)
    response = client.get(PRACTICES, KENYA_CSV)
    assert response.status_code == 200 and slugs(response) == kenyan
    assert "ETag" not in response
    assert built_files(export_files) == []


def test_a_failed_build_leaves_no_file(client, kenyan, export_files, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("core.exports.export_body", broken)
    with pytest.raises(RuntimeError):
        client.get(PRACTICES, KENYA_CSV)
    assert [path.name for path in export_files.iterdir() if not path.name.endswith(".lock")] == []
    monkeypatch.undo()
    assert client.get(PRACTICES, KENYA_CSV).status_code == 200


def test_an_export_being_built_is_refused_at_once_and_others_still_build(
    client, kenyan, export_files, settings, monkeypatch
):
    settings.EXPORT_BUILDS_AT_ONCE = 2
    settings.EXPORT_RETRY_AFTER = 5
    build = exportfiles.built
    during = {}

    def building(path, *args):
        if not during:  # While the first build runs: the same export, then another.
            during["same"] = client.get(PRACTICES, KENYA_CSV)
            during["other"] = client.get(PRACTICES, {"country": "KE", "format": "json"})
        build(path, *args)

    monkeypatch.setattr(exportfiles, "built", building)
    first = client.get(PRACTICES, KENYA_CSV)
    assert first.status_code == 200 and slugs(first) == kenyan
    same = during["same"]
    assert same.status_code == 429 and same["Retry-After"] == "5"
    assert "This export is being prepared" in same.content.decode()
    assert during["other"].status_code == 200
    assert {row["slug"] for row in json.loads(body(during["other"]))["results"]} == kenyan
    assert len(built_files(export_files)) == 2
