"""Form tokens on every POST, cookie flags, headers, the language switch, local assets,
and the JSON API's tokens working as before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute

from tests.web.portal.conftest import PASSWORD, Browser, TestClient, World
from trainclear.services.platform import Platform
from trainclear.settings import Settings
from trainclear.web.app import create_app
from trainclear.web.pages import PAGE_ROUTERS
from trainclear.web.pages.security import WebSecretMissing, anonymous_token

WEB = Path(__file__).resolve().parents[3] / "src" / "trainclear" / "web"


def _post_routes() -> list[str]:
    paths = []
    for router in PAGE_ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute) and "POST" in route.methods:
                paths.append(re.sub(r"\{[a-z_]+\}", "1", route.path))
    return paths


def test_every_page_router_checks_form_tokens() -> None:
    paths = _post_routes()
    assert len(paths) >= 12
    for router in PAGE_ROUTERS:
        assert any(
            getattr(dep.dependency, "__name__", "") == "check_form_token"
            for dep in router.dependencies
        )


@pytest.mark.parametrize("path", _post_routes())
@pytest.mark.parametrize("signed_in", [False, True])
def test_a_post_without_a_form_token_is_refused(
    browser: Browser, world: World, path: str, signed_in: bool
) -> None:
    if signed_in:
        browser.sign_in(world.admin)
    response = browser.client.post(path, data={"email": "x", "choice": "all"})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "表单被拒绝:缺少有效的表单令牌" in response.text
    assert "this form was refused: it lacks a valid form token" in response.text


def test_a_token_from_another_browser_or_a_forged_one_is_refused(
    browser: Browser, other_browser: Browser, world: World, platform: Platform
) -> None:
    browser.sign_in(world.alice)
    other_browser.sign_in(world.bob)
    theirs = other_browser.token("/holder/opt-outs")
    stolen = browser.client.post("/holder/opt-outs", data={"scope": "holder", "csrf_token": theirs})
    assert stolen.status_code == 403
    mine = browser.client.post(
        "/holder/opt-outs",
        data={"scope": "holder", "csrf_token": browser.token("/holder/opt-outs")},
    )
    assert mine.status_code == 200
    anonymous = TestClient(create_app(platform))
    with anonymous:
        forged = anonymous_token(b"not the secret" * 3, "n" * 32)
        anonymous.cookies.set("tc_form", "n" * 32)
        refused = anonymous.post(
            "/sign-in",
            data={"email": world.alice.email, "password": PASSWORD, "csrf_token": forged},
        )
        assert refused.status_code == 403
        json_post = anonymous.post("/sign-in", json={"email": world.alice.email})
        assert json_post.status_code == 403


def test_cookies_are_http_only_and_same_site_in_local_mode(browser: Browser, world: World) -> None:
    first = browser.get("/")
    form_cookie = first.headers["set-cookie"]
    assert form_cookie.startswith("tc_form=")
    assert "HttpOnly" in form_cookie
    assert "SameSite=lax" in form_cookie
    assert "Secure" not in form_cookie
    response = browser.client.post(
        "/sign-in",
        data={
            "email": world.alice.email,
            "password": PASSWORD,
            "csrf_token": browser.token("/sign-in"),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    session = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("tc_session=")
    )
    assert "HttpOnly" in session
    assert "SameSite=lax" in session
    assert "Max-Age=43200" in session
    assert "Path=/" in session


def test_cookies_are_secure_outside_local_mode(
    platform: Platform, tmp_path: Path, world: World
) -> None:
    secret = tmp_path / "web-secret"
    secret.write_text("s" * 64)
    settings = Settings(
        home=tmp_path / "prod",
        mode="production",
        database_url=platform.settings.resolved_database_url,
        web_secret_file=secret,
    )
    production = Platform(db=platform.db, settings=settings, clock=platform.clock)
    with TestClient(create_app(production), base_url="https://testserver") as client:
        page = client.get("/sign-in")
        form_cookie = page.headers["set-cookie"]
        assert form_cookie.startswith("__Host-tc_form=")
        assert "Secure" in form_cookie
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        signed = client.post(
            "/sign-in",
            data={"email": world.alice.email, "password": PASSWORD, "csrf_token": token.group(1)},
            follow_redirects=False,
        )
        session = next(
            c for c in signed.headers.get_list("set-cookie") if c.startswith("__Host-tc_session=")
        )
        assert "Secure" in session
        assert "HttpOnly" in session
        assert "SameSite=lax" in session
    assert not (tmp_path / "prod" / "web-secret").exists()


def test_production_refuses_to_start_without_a_web_secret(
    platform: Platform, tmp_path: Path
) -> None:
    settings = Settings(
        home=tmp_path / "prod",
        mode="production",
        database_url=platform.settings.resolved_database_url,
    )
    with pytest.raises(WebSecretMissing) as caught:
        create_app(Platform(db=platform.db, settings=settings, clock=platform.clock))
    assert "TRAINCLEAR_WEB_SECRET_FILE" in str(caught.value)


def test_local_mode_makes_its_web_secret_once(platform: Platform) -> None:
    path = platform.settings.home / "web-secret"
    assert not path.exists()
    create_app(platform)
    first = path.read_bytes()
    assert len(first.strip()) == 64
    assert path.stat().st_mode & 0o777 == 0o600
    create_app(platform)
    assert path.read_bytes() == first


def test_pages_carry_a_strict_content_security_policy(browser: Browser, world: World) -> None:
    public = browser.get("/")
    policy = public.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert public.headers["x-content-type-options"] == "nosniff"
    assert "cache-control" not in public.headers
    browser.sign_in(world.alice)
    assert browser.get("/holder/works").headers["cache-control"] == "no-store"


def test_every_asset_is_local() -> None:
    texts = [p.read_text(encoding="utf-8") for p in (WEB / "templates").rglob("*.html")]
    texts += [p.read_text(encoding="utf-8") for p in (WEB / "static").iterdir()]
    assert len(texts) > 15
    for text in texts:
        assert not re.search(r"(src|href)=\"(https?:)?//", text)
        assert "@import" not in text
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
        assert "<script>" not in text  # no inline scripts (the CSP forbids them)
        assert " style=" not in text


def test_static_files_are_served(browser: Browser) -> None:
    css = browser.get("/static/site.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    js = browser.get("/static/site.js")
    assert js.status_code == 200
    assert "progressive enhancement" in js.text


def test_language_switch_returns_to_the_same_page(
    browser: Browser, platform: Platform, world: World
) -> None:
    nid = world.notice(platform, world.poem)
    page = browser.get(f"/notices/{nid}", params={"work": "山居"})
    assert '<html lang="zh-CN">' in page.text
    switch = re.search(r'<a href="(/lang/en\?next=[^"]+)" lang="en"', page.text)
    assert switch
    switched = browser.get(switch.group(1).replace("&amp;", "&"))
    assert switched.url.path == f"/notices/{nid}"
    assert switched.url.params["work"] == "山居"
    assert '<html lang="en">' in switched.text
    assert "Objection window" in switched.text
    assert '<html lang="en">' in browser.get("/").text  # remembered in the cookie
    assert '<html lang="zh-CN">' in browser.get("/", params={"lang": "zh-CN"}).text
    assert '<html lang="zh-CN">' in browser.get("/").text
    outside = browser.client.get("/lang/en?next=https://evil.example/", follow_redirects=False)
    assert outside.headers["location"] == "/"
    assert browser.get("/", params={"lang": "fr"}).status_code == 200


def test_the_json_api_keeps_its_tokens_and_ignores_sessions(
    browser: Browser, world: World, make_party: object
) -> None:
    from trainclear.domain import PartyKind

    holder = make_party(PartyKind.RIGHTS_HOLDER, "API user")  # type: ignore[operator]
    browser.sign_in(world.alice)
    with_cookie_only = browser.client.post("/v1/works", json={"title": "T", "text": "t"})
    assert with_cookie_only.status_code == 401
    assert with_cookie_only.json()["error"]["key"] == "auth.missing"
    with_token = browser.client.post(
        "/v1/works", json={"title": "T", "text": "some text"}, headers=holder.headers
    )
    assert with_token.status_code == 201
    assert browser.client.get("/v1/me", headers=holder.headers).json()["name"] == "API user"
    assert "/sign-in" not in browser.get("/openapi.json").json()["paths"]
