"""The cheap paths used on busy pages give exactly what the slow ones give."""

from datetime import timedelta

import pytest
from babel.dates import format_timedelta
from flask import render_template_string, url_for
from flask_babel import force_locale, gettext

from ideas.core import i18n
from ideas.core.db import utcnow
from ideas.core.markdown import render_markdown
from ideas.core.urls import path_for


@pytest.mark.parametrize("endpoint,values", [
    ("submissions.show", {"idea_id": 7, "slug": "quiet-washing-cycle"}),
    ("submissions.show", {"idea_id": 12, "slug": "тихий-цикл-стирки"}),
    ("submissions.show", {"idea_id": 3, "slug": "为家庭设计的安静的洗衣程序"}),
    ("submissions.show", {"idea_id": 3, "slug": "a b/c?d#e%"}),
    ("accounts.profile", {"username": "zuzana.k"}),
    ("submissions.vote", {"idea_id": 41}),
])
def test_path_for_equals_url_for(app, endpoint, values):
    with app.test_request_context("/"):
        assert path_for(endpoint, **values) == url_for(endpoint, **values)
        assert path_for(endpoint, **values) == url_for(endpoint, **values)  # the bound adapter
    with app.test_request_context("/", base_url="http://example.org/platform/"):
        assert path_for(endpoint, **values) == url_for(endpoint, **values)
        assert path_for(endpoint, **values).startswith("/platform/")


def test_path_for_falls_back_for_query_arguments_and_bad_values(app):
    with app.test_request_context("/"):
        assert path_for("challenges.index", page=2) == url_for("challenges.index", page=2)
        # an int converter refuses a negative id; url_for decides what happens then
        with pytest.raises(Exception) as slow:
            url_for("submissions.vote", idea_id="x")
        with pytest.raises(type(slow.value)):
            path_for("submissions.vote", idea_id="x")


@pytest.mark.parametrize("locale", ["en", "cs", "ru", "zh"])
def test_ago_matches_babel_for_every_unit(app, locale):
    now = utcnow()
    deltas = [0, 20, 59, 60, 61, 89, 90, 3000, 3599, 3600, 5400, 86_000, 86_400, 3 * 86_400,
              6 * 86_400, 518_400, 600_000, 40 * 86_400, 400 * 86_400, 3 * 365 * 86_400]
    with app.test_request_context("/", headers={"Accept-Language": locale}):
        assert i18n.locale_code() == locale
        for seconds in deltas:
            for sign in (-1, 1):
                value = now + timedelta(seconds=sign * seconds)
                expected = format_timedelta(value - now, add_direction=True, granularity="minute",
                                            locale=locale)
                assert i18n.ago(value, now=now) == expected, (locale, sign * seconds)


def test_template_gettext_follows_force_locale(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        render = app.jinja_env.from_string('{{ _("Log in") }}|{{ ngettext("%(num)s idea", "%(num)s ideas", 2) }}').render
        english = render()
        assert english == "Log in|2 ideas"
        with force_locale("cs"):
            assert gettext("Log in") == render().split("|")[0]
            assert i18n.locale_code() == "cs"
        assert render() == english
        assert i18n.locale_code() == "en"


def test_one_lookup_per_render_and_a_nested_render_in_another_language(app, monkeypatch):
    """The memo lives as long as one render_template; mail rendered in the recipient's
    language inside a page's render gets its own."""
    import flask_babel

    looked_up = []
    real = flask_babel.get_translations
    monkeypatch.setattr(flask_babel, "get_translations", lambda: looked_up.append(1) or real())

    def czech_mail():
        with force_locale("cs"):
            return render_template_string('{{ current_locale() }}{{ _("Log in")[:0] }}')

    app.jinja_env.globals["czech_mail"] = czech_mail
    page = ('{{ current_locale() }}|{{ _("Log in") }}|{{ _("Log out") }}|{{ czech_mail() }}|'
            '{{ current_locale() }}|{{ ngettext("%(num)s idea", "%(num)s ideas", 2) }}')
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string(page) == "en|Log in|Log out|cs|en|2 ideas"
        assert len(looked_up) == 2  # once for the page, once for the mail
        assert render_template_string(page) == "en|Log in|Log out|cs|en|2 ideas"
        assert len(looked_up) == 4


def test_markdown_cache_still_sanitizes(app):
    dirty = "[x](javascript:alert(1)) <script>alert(2)</script> **bold**"
    first, second = render_markdown(dirty), render_markdown(dirty)
    assert first == second
    assert "href=\"javascript" not in first and "<script" not in first and "<strong>bold</strong>" in first


def _list(client, challenge, **headers):
    return client.get(f"/challenges/{challenge.id}-{challenge.slug}/ideas?sort=new",
                      headers=headers).get_data(as_text=True)


def test_list_rows_follow_every_change_of_what_they_show(client, db, make):
    challenge = make.challenge(phase="voting")
    idea = make.idea(challenge, title="Steam cycle", slug="паровой-цикл a/b", tags=["hygiene"])
    db.session.commit()
    assert "Steam cycle" in _list(client, challenge) and "hygiene" in _list(client, challenge)

    idea.title, idea.comment_count, idea.tags = "Dry steam cycle", 3, ["energy"]
    db.session.commit()
    html = _list(client, challenge)
    assert "Dry steam cycle" in html and "3 comments" in html and "energy" in html and "hygiene" not in html

    with client.application.test_request_context("/"):
        link = url_for("submissions.show", idea_id=idea.id, slug=idea.slug)
    assert f'href="{link}"' in html

    czech = _list(client, challenge, **{"Accept-Language": "cs"})
    assert 'lang="cs"' in czech
    assert "Dry steam cycle" in czech


def test_hidden_badge_only_for_those_who_see_hidden_ideas(client, db, make):
    from ideas.core.db import utcnow

    challenge = make.challenge(phase="voting")
    author = make.user()
    idea = make.idea(challenge, author, title="Hidden one", hidden_at=utcnow())
    make.idea(challenge, title="Visible one")
    db.session.commit()
    client.login(author)  # the author still sees their hidden idea, marked
    html = _list(client, challenge)
    assert "Hidden one" in html and "text-bg-dark" in html
    other = make.user()
    db.session.commit()
    client.logout()
    client.login(other)  # another member: the same rows minus the hidden one
    html = _list(client, challenge)
    assert "Hidden one" not in html and "Visible one" in html
    assert f"/ideas/{idea.id}-" not in html


def test_when_follows_locale_and_zone_of_each_request(app):
    from datetime import datetime

    from flask_babel import format_datetime

    moment = datetime(2026, 11, 23, 17, 5)
    seen = set()
    for locale in ("en", "cs", "ru", "zh"):
        # a fresh app context per request, as in production (the fixture's would share `g`)
        with app.app_context(), app.test_request_context("/", headers={"Accept-Language": locale}):
            text = i18n.when(moment)
            assert text == format_datetime(moment, "medium")
            assert i18n.when(moment, "short") == format_datetime(moment, "short")
            seen.add(text)
            with force_locale("en"):
                assert i18n.when(moment) == format_datetime(moment, "medium")
    assert len(seen) == 4
