"""Which language a page speaks: the member's setting, else the language switcher's
choice (a visitor's cookie), else the browser's Accept-Language, else English."""

import re

import pytest

LANG = re.compile(r'<html lang="([^"]+)"')


def page_lang(client, path="/login", **headers) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return LANG.search(response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize("header,expected", [
    ("cs-CZ,cs;q=0.9,en;q=0.8", "cs"),
    ("de-DE,de;q=0.9,ru;q=0.7,en;q=0.5", "ru"),
    ("zh-CN,zh;q=0.9", "zh"),
    ("zh-Hans-CN", "zh"),
    ("en-GB", "en"),
    ("de-DE,fr;q=0.8", "en"),
    ("", "en"),
])
def test_browser_language_for_visitors(client, header, expected):
    headers = {"Accept-Language": header} if header else {}
    assert page_lang(client, **headers) == expected


def test_switcher_beats_the_browser_for_visitors(client):
    response = client.post("/language", {"lang": "zh", "next": "/login"}, csrf=False)
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    assert page_lang(client, **{"Accept-Language": "cs"}) == "zh"


def test_unknown_language_is_refused_and_changes_nothing(client):
    assert client.post("/language", {"lang": "de", "next": "/login"}, csrf=False).status_code == 400
    assert page_lang(client, **{"Accept-Language": "ru"}) == "ru"


def test_switcher_refuses_to_send_visitors_elsewhere(client):
    response = client.post("/language", {"lang": "cs", "next": "//evil.example/x"}, csrf=False)
    assert response.status_code == 303
    assert not response.headers["Location"].startswith("//evil")


def test_members_setting_beats_cookie_and_browser(client, db, make):
    member = make.user(locale="ru")
    db.session.commit()
    client.set_cookie("lang", "zh")
    client.login(member)
    assert page_lang(client, "/", **{"Accept-Language": "cs"}) == "ru"


def test_member_switching_saves_the_setting(client, db, make):
    member = make.user(locale="en")
    db.session.commit()
    client.login(member)
    assert client.post("/language", {"lang": "cs", "next": "/"}, form_page="/").status_code == 303
    db.session.refresh(member)
    assert member.locale == "cs"
    assert page_lang(client, "/", **{"Accept-Language": "zh"}) == "cs"
