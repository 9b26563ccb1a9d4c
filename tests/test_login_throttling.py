"""Admin login throttling behind a reverse proxy: a client is known by the address the trusted
proxy saw, never by the proxy's own address nor by what the client claims."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

PROXY = "10.0.0.2"  # REMOTE_ADDR of every request that comes through the proxy


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("admin", "a@example.org", "right-password-1")


def login(client, password, forwarded=None):
    headers = {"REMOTE_ADDR": PROXY}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/admin/login/", {"username": "admin", "password": password}, **headers)


def fail_five_times(client, forwarded=None):
    responses = [login(client, "wrong", forwarded) for _ in range(5)]
    assert [r.status_code for r in responses] == [200] * 4 + [429]


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_a_lockout_is_for_the_forwarded_address_only(
    client, admin_user, django_user_model
):
    fail_five_times(client, forwarded="203.0.113.7")
    assert login(client, "right-password-1", forwarded="203.0.113.7").status_code == 429

    # The same username from another visitor behind the same proxy signs in. The client may
    # prepend what it likes: only the entry the proxy appended counts.
    other = login(client, "right-password-1", forwarded="203.0.113.7, 198.51.100.4")
    assert other.status_code == 302
    assert client.session["_auth_user_id"] == str(admin_user.pk)


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_with_two_proxies_the_address_the_first_proxy_saw_counts(client, admin_user):
    fail_five_times(client, forwarded="203.0.113.7, 10.0.0.1")
    assert login(client, "right-password-1", forwarded="203.0.113.7, 10.0.0.1").status_code == 429
    assert login(client, "right-password-1", forwarded="198.51.100.4, 10.0.0.1").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, admin_user):
    fail_five_times(client, forwarded="203.0.113.7")
    # Claiming another address does not unlock the username for this client.
    spoofed = login(client, "right-password-1", forwarded="198.51.100.4")
    assert spoofed.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_when_to_try_again(client, admin_user):
    fail_five_times(client)
    page = login(client, "right-password-1")
    assert page.status_code == 429
    text = page.content.decode()
    assert "<h1>Too many failed logins</h1>" in text
    retry = re.search(r"You may try again in 15 minutes, after (\d\d:\d\d) UTC\.", text)
    expected = datetime.now(UTC) + timedelta(minutes=15)
    assert retry.group(1) in {(expected + timedelta(minutes=m)).strftime("%H:%M") for m in (0, 1)}
    assert 'href="/static/admin/css/base.css"' in text  # the admin's own look
