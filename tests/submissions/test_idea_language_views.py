"""Idea pages and the language: the Language select on submit and edit, the badge and
`lang` attributes, the list's language filter (kept across sorts and pages, counts
without private ideas, no per-row queries), staff correcting it."""

import re

import pytest
from sqlalchemy import func, select

from ideas.submissions import listing
from ideas.submissions.models import Idea
from ideas.submissions.terms import accept_terms

CZECH = {"title": "Samovysychací šuplík na prací prostředek",
         "summary": "Šuplík má ve dně drážky a mírný sklon, aby z něj vytekla všechna voda.",
         "description": "Po každém praní v něm zůstane louže s gelem. Dno se sklonem to vyřeší.",
         "tags": "", "coauthors": "", "submission_key": "key-cs"}


def new_url(c):
    return f"/challenges/{c.id}-{c.slug}/ideas/new"


def list_url(c, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/challenges/{c.id}-{c.slug}/ideas" + (f"?{query}" if query else "")


@pytest.fixture
def member(db, make, client):
    user = make.user()
    db.session.commit()
    client.login(user)
    return user


@pytest.fixture(autouse=True)
def _fresh_statements():
    listing._page_statement.cache_clear()
    yield
    listing._page_statement.cache_clear()


def test_submit_detects_and_the_page_marks_the_language(db, make, client, member):
    challenge = make.challenge()
    accept_terms(member, challenge)
    db.session.commit()
    form = client.get(new_url(challenge)).get_data(as_text=True)
    assert '<select class="form-select" id="language" name="language">' in form
    assert '<option selected value="">' in form  # "Detect automatically" by default
    assert '<option lang="cs" value="cs">Čeština</option>' in form
    response = client.post(new_url(challenge), dict(CZECH, language=""))
    assert response.status_code == 303
    idea = db.session.scalar(select(Idea))
    assert idea.language == "cs"
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert re.search(r'<h1 [^>]*dir="auto" lang="cs">Samovysychací', page)
    assert 'class="idea-description text-break" dir="auto" lang="cs">' in page
    assert '<span class="visually-hidden">Language: Czech</span><span aria-hidden="true" lang="cs">Čeština</span>' in page


def test_a_bad_language_is_a_field_error_and_nothing_is_saved(db, make, client, member):
    challenge = make.challenge()
    accept_terms(member, challenge)
    db.session.commit()
    response = client.post(new_url(challenge), dict(CZECH, language="klingon"))
    assert response.status_code == 422
    assert 'id="language-err"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Idea.id))) == 0


def test_no_lang_attribute_where_the_interface_speaks_the_same_language(db, make, client):
    challenge = make.challenge()
    czech = make.idea(challenge, language="cs", **{k: CZECH[k] for k in ("title", "summary", "description")})
    english = make.idea(challenge, language="en")
    db.session.commit()
    cs = {"Accept-Language": "cs"}
    page = client.get(f"/ideas/{czech.id}-{czech.slug}", headers=cs).get_data(as_text=True)
    assert 'lang="cs">Samovysychací' not in page and 'dir="auto">Samovysychací' in page
    page = client.get(f"/ideas/{english.id}-{english.slug}", headers=cs).get_data(as_text=True)
    assert re.search(r'<h1 [^>]*dir="auto" lang="en">', page)
    # in the list, a badge only for the ideas in another language than the reader's
    listed = client.get(list_url(challenge), headers=cs).get_data(as_text=True)
    assert listed.count('content-lang"') == 1 and 'lang="en">English</span>' in listed


def test_editing_shows_the_recorded_language_and_saves_a_correction(db, make, client, member):
    challenge = make.challenge()
    idea = make.idea(challenge, member, language="cs", **{k: CZECH[k] for k in ("title", "summary", "description")})
    db.session.commit()
    edit = f"/ideas/{idea.id}/edit"
    assert '<option lang="cs" selected value="cs">Čeština</option>' in client.get(edit).get_data(as_text=True)
    fields = {k: CZECH[k] for k in ("title", "summary", "description", "tags")}
    response = client.post(edit, dict(fields, language="sk"), follow_redirects=True)
    assert "Your changes are saved." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).language == "sk"
    refused = client.post(edit, dict(fields, language="xx"))
    assert refused.status_code == 422 and 'id="language-err"' in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).language == "sk"


def test_staff_correct_the_language_from_the_idea_page(db, make, client):
    staff = make.user()
    challenge = make.challenge(make.company(staff=[staff]), phase="voting")
    idea = make.idea(challenge, language="en")
    db.session.commit()
    client.login(staff)
    page = client.get(f"/ideas/{idea.id}-{idea.slug}").get_data(as_text=True)
    assert f'action="/ideas/{idea.id}/language"' in page
    response = client.post(f"/ideas/{idea.id}/language", {"language": "de"}, form_page=f"/ideas/{idea.id}-{idea.slug}")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).language == "de"


def test_members_cannot_set_the_language_of_others_ideas(db, make, client, member):
    idea = make.idea(make.challenge(phase="voting"), language="en")
    db.session.commit()
    response = client.post(f"/ideas/{idea.id}/language", {"language": "de"}, form_page=f"/ideas/{idea.id}-{idea.slug}")
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).language == "en"


@pytest.fixture
def mixed(db, make):
    challenge = make.challenge(phase="voting")
    czech = [make.idea(challenge, language="cs", title=f"Nápad číslo {i}", up_votes=i) for i in range(25)]
    english = [make.idea(challenge, language="en", title=f"Idea number {i}") for i in range(3)]
    author = make.user()
    hidden = make.idea(challenge, author, language="ru", title="Скрытая идея", hidden_at=czech[0].created_at)
    db.session.commit()
    return challenge, czech, english, author, hidden


def test_the_list_filters_by_language_and_keeps_it_across_sorts_and_pages(db, client, mixed):
    challenge, czech, english, _author, _hidden = mixed
    page = client.get(list_url(challenge, lang="en")).get_data(as_text=True)
    assert all(f"Idea number {i}" in page for i in range(3)) and "Nápad číslo" not in page
    page = client.get(list_url(challenge, lang="cs", sort="new")).get_data(as_text=True)
    assert page.count("Nápad číslo") == 20 and "Idea number" not in page
    assert "Page 1 of 2" in page
    assert f'href="/challenges/{challenge.id}-{challenge.slug}/ideas?page=2&amp;sort=new&amp;lang=cs"' in page
    assert f'href="/challenges/{challenge.id}-{challenge.slug}/ideas?sort=top&amp;lang=cs"' in page  # sorts keep it
    second = client.get(list_url(challenge, lang="cs", sort="new", page=2)).get_data(as_text=True)
    assert second.count("Nápad číslo") == 5
    # the options with their counts; "All" drops the filter
    assert re.search(r'<span lang="cs">Čeština</span> <span class="badge text-bg-light">25</span>', page)
    assert re.search(r'<span lang="en">English</span> <span class="badge text-bg-light">3</span>', page)
    # an unknown value is no filter, as with the list's other arguments
    unfiltered = client.get(list_url(challenge, lang="xx")).get_data(as_text=True)
    assert unfiltered.count("Nápad číslo") + unfiltered.count("Idea number") == 20


def test_the_filter_does_not_reveal_hidden_ideas(db, make, client, mixed):
    challenge, _czech, _english, author, _hidden = mixed
    for who in (None, make.user()):
        if who is not None:
            db.session.commit()
            client.login(who)
        page = client.get(list_url(challenge)).get_data(as_text=True)
        assert 'lang="ru">Русский' not in page
        filtered = client.get(list_url(challenge, lang="ru")).get_data(as_text=True)
        assert "Скрытая идея" not in filtered and "No idea here is written in this language." in filtered
    client.logout()
    client.login(author)  # the author sees their own hidden idea, and its language
    page = client.get(list_url(challenge, lang="ru")).get_data(as_text=True)
    assert "Скрытая идея" in page
    assert re.search(r'<span lang="ru">Русский</span> <span class="badge text-bg-light">1</span>', page)


def test_the_filter_adds_no_query_per_row(db, make, client):
    def queries(challenge, **args):
        response = client.get(list_url(challenge, **args))
        assert response.status_code == 200
        return int(response.headers["X-SQL-Queries"])

    small = make.challenge(phase="voting")
    for i in range(3):
        make.idea(small, language="cs" if i % 2 else "en")
    large = make.challenge(phase="voting")
    for i in range(50):
        make.idea(large, language="cs" if i % 2 else "en")
    db.session.commit()
    queries(small)  # the first request of a process does its one-off work
    assert queries(small) == queries(large)
    assert queries(small, lang="cs") == queries(large, lang="cs") == queries(large)
    assert queries(large, lang="cs", sort="new", page=2) == queries(large, lang="cs")  # 5 rows, read backwards
