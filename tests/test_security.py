"""Security headers, the production profile, admin login throttling and safe rendering."""

import os
import runpy
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_approach, make_practice

ROOT = Path(__file__).resolve().parents[1]
PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    "[click me](javascript:alert(1))",
    '<a href="https://example.org" onclick="alert(1)">link</a>',
    '"><svg onload=alert(1)>',
    "<iframe src='https://example.org'></iframe>",
]


class MarkupAudit(HTMLParser):
    """Collects live markup that could run script: the parsed tags, not escaped text."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and attrs == [("type", "application/ld+json")]:
            return  # A JSON-LD data block, never run (core/jsonld.py)
        if tag in {"script", "iframe", "svg", "object", "embed"}:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name in {"href", "src"} and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"{tag}[{name}={value}]")


def live_script_markup(html):
    audit = MarkupAudit()
    audit.feed(html)
    return audit.problems


def test_the_markup_audit_sees_live_script():
    assert live_script_markup('<p><img src="x" onerror="alert(1)"></p>') == ["img[onerror]"]
    assert live_script_markup("<p>&lt;img onerror=alert(1)&gt;</p>") == []


def manage(*args, **env):
    """Run manage.py in a fresh process with the production profile and the given env."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings_production", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_response_has_the_security_headers(client, db):
    for url in ["/", "/practices/", "/admin/login/", "/no-such-page/"]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        policy = response["Permissions-Policy"]
        assert "geolocation=()" in policy and "camera=()" in policy and "microphone=()" in policy


def test_pages_have_no_inline_script_or_style(client, db):
    make_practice()
    for url in ["/", "/practices/", "/countries/"]:
        html = client.get(url).content.decode()
        assert "<script" not in html
        assert "style=" not in html and "<style" not in html


def production_setting(expression, **env):
    """The value of `expression` (over `s`, the settings) printed by the production profile."""
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        f"from django.conf import settings as s; print({expression})",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="atlas.example.org",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_profile_refuses_to_start_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "needs the SECRET_KEY environment variable" in result.stderr


def test_production_profile_refuses_to_start_without_allowed_hosts():
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(60))
    assert result.returncode != 0
    assert "needs the ALLOWED_HOSTS environment variable" in result.stderr


def test_production_profile_passes_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="atlas.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_an_empty_database_url_is_the_default_database():
    engine = production_setting("s.DATABASES['default']['ENGINE']", DATABASE_URL="")
    assert engine == "django.db.backends.sqlite3"


def test_only_hashed_static_files_are_cached_for_good_in_production():
    # The 500 page links /static/css/site.css by its plain name: a new stylesheet must reach
    # browsers within the hour. Hashed names are immutable (WhiteNoise's own rule).
    assert int(production_setting("s.WHITENOISE_MAX_AGE")) <= 3600


def test_the_language_cookie_is_same_site_and_secure_in_production(client, db, settings):
    cookie = production_setting("s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE")
    assert cookie.split() == ["True", "Lax"]

    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.get("/language/", {"language": "fr", "next": "/"}, secure=True)
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] and cookie["samesite"] == "Lax"


def test_hsts_and_secure_cookies_in_production(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_SECURE = True
    response = client.get("/admin/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    user = get_user_model().objects.create_superuser("root", "r@example.org", "a-long-pass-1")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": user.username, "password": "a-long-pass-1"},
        secure=True,
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_repeated_failed_admin_logins_lock_the_client_out(client, db):
    get_user_model().objects.create_superuser("admin", "a@example.org", "right-password-1")
    for _ in range(4):
        response = client.post("/admin/login/", {"username": "admin", "password": "wrong"})
        assert response.status_code == 200  # the login form again, with its error
    fifth = client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    assert fifth.status_code == 429
    locked = client.post("/admin/login/", {"username": "admin", "password": "right-password-1"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("payload", PAYLOADS)
def test_curated_text_is_rendered_inert(client, db, payload):
    approach = make_approach(description=f"Approach text {payload}")
    practice = make_practice(
        approach=approach, summary=f"Summary {payload}", body=f"Body **bold** {payload}"
    )
    for url in [
        practice.get_absolute_url(),
        approach.get_absolute_url(),
        approach.theme.get_absolute_url(),
        "/practices/",
    ]:
        assert live_script_markup(client.get(url).content.decode()) == []
    html = client.get(practice.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in html  # Markdown still works


@pytest.mark.parametrize("payload", PAYLOADS)
def test_movement_and_guidance_text_is_rendered_inert(client, content, payload):
    """Every curated field of movements and guidance, on every page that shows it."""
    from core.models import Status
    from guidance.models import Definition, Finding, Principle, Resource
    from movements.models import Figure, Movement
    from practices.models import Country

    kenya = Country.objects.get(code="KE")
    movement = Movement.objects.create(
        name=f"Movement {payload}",
        acronym="MV",
        slug="payload-movement",
        status=Status.PUBLISHED,
        description=f"Description **bold** {payload}",
        locator=f"Part {payload}",
    )
    movement.countries.set([kenya])
    Figure.objects.create(movement=movement, measure="members", value=5, note=payload)
    principle = Principle.objects.filter(status=Status.PUBLISHED).first()
    Principle.objects.filter(pk=principle.pk).update(
        title=f"Principle {payload}",
        explanation=f"Explanation {payload}",
        short_title=f"Short {payload}",
        short_text=f"Short text {payload}",
    )
    finding = Finding.objects.first()
    Finding.objects.filter(pk=finding.pk).update(text=f"Finding {payload}")
    finding.countries.add(kenya)
    Definition.objects.filter(pk=Definition.objects.first().pk).update(text=f"Def {payload}")
    Resource.objects.filter(pk=Resource.objects.first().pk).update(
        title=f"Resource {payload}", note=payload
    )
    for url in [
        movement.get_absolute_url(),
        "/movements/",
        principle.get_absolute_url(),
        "/guidance/",
        "/guidance/checklist/",
        "/countries/ke/",
        "/search/?q=payload",
        "/search/?q=" + payload[:50],
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert live_script_markup(response.content.decode()) == [], url
    assert "<strong>bold</strong>" in client.get(movement.get_absolute_url()).content.decode()


@pytest.mark.parametrize("path", ["", "/run/atlas/gunicorn.ctl"])
def test_gunicorn_opens_a_control_socket_only_at_a_path_it_is_given(monkeypatch, path):
    from gunicorn.config import Config

    monkeypatch.setenv("GUNICORN_CONTROL_SOCKET", path)
    config = Config()
    for name, value in runpy.run_path(str(ROOT / "config" / "gunicorn.py")).items():
        if name in config.settings:
            config.set(name, value)

    # Left on, every instance would listen at one path per user and take it from the others.
    assert config.control_socket_disable is (not path)
    if path:
        assert config.control_socket == path
