"""Security headers: every page carries a Content-Security-Policy (the public one, or the admin's
own under /admin/), framing is refused, and production turns on HSTS and Secure cookies.
"""

import base64
import hashlib
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import path

from forum import services
from sitewide.csp import error_page_style_hashes
from tests.factories import BROWSER_HEADERS, UserFactory, ensure_help_centers, make_article
from tests.factories.council import make_council_member
from tests.factories.forum import make_category
from tests.test_settings import read_settings, start_django

pytestmark = pytest.mark.django_db

PUBLIC_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def assert_public_policy(response, name):
    policy = directives(response)
    for directive, sources in PUBLIC_POLICY.items():
        assert policy.get(directive) == sources, f"{name}: {directive} is {policy.get(directive)!r}"
    assert "'self'" in policy["connect-src"] and "data:" in policy["img-src"], name
    assert "unsafe" not in response.headers["Content-Security-Policy"], name
    assert response.headers["X-Frame-Options"] == "DENY", name


@pytest.fixture
def site(django_capture_on_commit_callbacks):
    ensure_help_centers()
    with django_capture_on_commit_callbacks(execute=True):  # indexed for search, as after a commit
        article = make_article("Check the battery status", category="power", category_title="Power & battery")
    member = make_council_member(email="headers-member@example.com")
    topic = services.create_topic(member, category=make_category("Batteries"), title="Battery drains", body="Why?")
    return {"article": article, "member": member, "topic": topic}


def test_every_public_page_type_carries_the_strict_policy(site):
    member = Client(**BROWSER_HEADERS)
    member.force_login(site["member"])
    pages = {
        "home": "/en/",
        "category": site["article"].get_parent().url,
        "article": site["article"].url,
        "search": "/en/search/?q=battery",
        "suggestions": "/api/suggest/?q=batt",
        "contact form": "/en/support/contact/",
        "forum": "/en/forum/",
        "topic": site["topic"].get_absolute_url(),
        "council": "/en/council/",
        "council ideas": "/en/council/ideas/",
    }
    anonymous_pages = {"login": "/en/accounts/login/", "signup": "/en/accounts/signup/"}
    requests = [(member, name, url) for name, url in pages.items()]
    requests += [(Client(**BROWSER_HEADERS), name, url) for name, url in anonymous_pages.items()]
    for client, name, url in requests:
        response = client.get(url)

        assert response.status_code == 200, f"{name}: {url} answered {response.status_code}"
        assert_public_policy(response, name)


def test_a_missing_page_carries_the_strict_policy_too(site):
    response = Client(**BROWSER_HEADERS).get("/en/no-such-page-here/")

    assert response.status_code == 404
    assert_public_policy(response, "404")


def test_the_admin_has_its_own_policy_and_may_frame_its_previews():
    editor = UserFactory(is_superuser=True, is_staff=True)
    client = Client(**BROWSER_HEADERS)
    client.force_login(editor)

    response = client.get("/admin/")

    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == "'self' 'unsafe-inline' 'unsafe-eval'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'self'"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def raise_an_error(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", raise_an_error)]


@pytest.mark.urls("tests.test_security_headers")
def test_the_error_page_may_use_exactly_its_own_style_block():
    client = Client(raise_request_exception=False, **BROWSER_HEADERS)

    response = client.get("/broken/")

    assert response.status_code == 500
    served_style = re.search(r"<style>(.*?)</style>", response.content.decode(), re.DOTALL).group(1)
    served_hash = f"'sha256-{base64.b64encode(hashlib.sha256(served_style.encode()).digest()).decode()}'"
    assert error_page_style_hashes() == [served_hash]
    assert directives(response)["style-src"] == f"'self' {served_hash}"
    assert "unsafe" not in response.headers["Content-Security-Policy"]


def test_the_websocket_origin_of_base_url_is_allowed_to_connect(tmp_path):
    values = read_settings(
        "config.settings.production",
        tmp_path,
        "CONTENT_SECURITY_POLICY",
        SECRET_KEY="s3cret-for-this-test",
        ALLOWED_HOSTS="help.example.com",
        BASE_URL="https://help.example.com",
    )

    assert values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["connect-src"] == ["'self'", "wss://help.example.com"]


def test_production_sends_hsts_for_a_year_and_marks_every_cookie_secure(tmp_path):
    values = read_settings(
        "config.settings.production",
        tmp_path,
        "SECURE_HSTS_SECONDS SECURE_HSTS_INCLUDE_SUBDOMAINS SECURE_HSTS_PRELOAD SESSION_COOKIE_SECURE "
        "CSRF_COOKIE_SECURE LANGUAGE_COOKIE_SECURE",
        SECRET_KEY="s3cret-for-this-test",
        ALLOWED_HOSTS="help.example.com",
    )

    assert values == {
        "SECURE_HSTS_SECONDS": 31_536_000,
        # Promises about every subdomain: the operator's to make (and test_check_deploy below).
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
    }


def test_check_deploy_passes_with_production_settings_and_a_real_secret(tmp_path):
    result = start_django(
        "config.settings.production",
        tmp_path,
        "from django.core.management import call_command; call_command('check', deploy=True, fail_level='WARNING')",
        SECRET_KEY=base64.b64encode(hashlib.sha512(b"a real secret of this test").digest()).decode(),
        ALLOWED_HOSTS="help.example.com",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_the_site_cookies_are_secure_where_the_session_cookie_is(site, settings):
    settings.SESSION_COOKIE_SECURE = True
    client = Client(**BROWSER_HEADERS)

    searched = client.get("/en/search/?q=battery")

    assert searched.cookies["support_vid"]["secure"] is True


@pytest.mark.parametrize("name", ["SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT"])
def test_development_and_tests_keep_plain_http(name):
    assert not getattr(settings, name, None)
