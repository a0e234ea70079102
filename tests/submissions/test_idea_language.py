"""An idea's language: detected on submit unless the author chose, kept or corrected
on edit, corrected by staff; the idea list filters by it with counts that follow the
same visibility rule as the list (hidden, withdrawn and merged ideas never counted
for those who may not see them)."""

import pytest
from sqlalchemy import func, select

from ideas.core.errors import Invalid, NotAllowed
from ideas.submissions import listing, moderation, services
from ideas.submissions.listing import idea_page, language_counts
from ideas.submissions.models import Idea, IdeaRevision
from ideas.submissions.terms import accept_terms

TEXTS = {
    "cs": {"title": "Samovysychací šuplík na prací prostředek",
           "summary": "Šuplík má ve dně drážky a mírný sklon, aby z něj vytekla všechna voda.",
           "description": "Po každém praní v něm zůstane louže s gelem. Dno se sklonem to vyřeší bez elektroniky."},
    "ru": {"title": "Тёплый обдув уплотнителя после стирки",
           "summary": "Небольшой вентилятор прогоняет тёплый воздух через манжету двери.",
           "description": "Биоплёнка растёт там, где вода стоит часами. Вентилятор высушит манжету."},
    "zh": {"title": "门封使用含银离子抗菌涂层",
           "summary": "在门封橡胶中加入银离子，抑制细菌和霉菌的生长。",
           "description": "银离子涂层已经用于冰箱密封条，成本低，寿命长，可以直接用于洗衣机门封。"},
    "en": {"title": "Odour sensor that schedules the cleaning cycle",
           "summary": "A cheap gas sensor notices the musty smell and plans a cleaning run.",
           "description": "The machine runs its maintenance programme when the sensor says so, not on a timer."},
}


@pytest.fixture
def setup(make):
    author = make.user()
    challenge = make.challenge()
    accept_terms(author, challenge)
    return author, challenge


@pytest.mark.parametrize("code", list(TEXTS))
def test_submit_detects_and_stores_the_language(db, setup, code):
    author, challenge = setup
    idea = services.submit_idea(author, challenge, **TEXTS[code])
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).language == code


def test_the_authors_choice_is_kept_over_detection(db, setup):
    author, challenge = setup
    idea = services.submit_idea(author, challenge, language="sk", **TEXTS["cs"])
    assert idea.language == "sk"


@pytest.mark.parametrize("bad", ["xx", "Czech", "cs_CZ", "<script>"])
def test_an_unknown_language_is_refused_and_nothing_saved(db, setup, bad):
    author, challenge = setup
    with pytest.raises(Invalid) as refused:
        services.submit_idea(author, challenge, language=bad, **TEXTS["en"])
    assert refused.value.field == "language"
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 0
    assert challenge.idea_count == 0


def test_edit_keeps_detects_or_sets_the_language(db, setup):
    author, challenge = setup
    idea = services.submit_idea(author, challenge, **TEXTS["en"])
    # None keeps it (callers that know nothing of languages)
    services.edit_idea(author, idea, **{**TEXTS["en"], "title": "Odour sensor that plans the cleaning"})
    assert idea.language == "en"
    # the text is rewritten in Czech and left to detection
    revision = services.edit_idea(author, idea, language="", **TEXTS["cs"])
    assert revision is not None and idea.language == "cs"
    # a language-only correction is saved without a new revision of the text
    before = db.session.scalar(select(func.count()).select_from(IdeaRevision).where(IdeaRevision.idea_id == idea.id))
    assert services.edit_idea(author, idea, language="sk", **TEXTS["cs"]) is None
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).language == "sk"
    after = db.session.scalar(select(func.count()).select_from(IdeaRevision).where(IdeaRevision.idea_id == idea.id))
    assert after == before


def test_edit_with_a_bad_language_changes_nothing(db, setup):
    author, challenge = setup
    idea = services.submit_idea(author, challenge, **TEXTS["en"])
    db.session.commit()
    with pytest.raises(Invalid):
        services.edit_idea(author, idea, language="xx", **TEXTS["cs"])
    db.session.rollback()
    db.session.expire_all()
    fresh = db.session.get(Idea, idea.id)
    assert (fresh.language, fresh.title) == ("en", TEXTS["en"]["title"])


def test_staff_correct_the_language_members_may_not(db, make, setup):
    author, challenge = setup
    staff = make.user()
    challenge.company_id = make.company(staff=[staff]).id
    db.session.flush()
    idea = services.submit_idea(author, challenge, **TEXTS["cs"])
    moderation.set_language(staff, idea, "sk")
    assert idea.language == "sk"
    moderation.set_language(staff, idea, "")  # detect again
    assert idea.language == "cs"
    with pytest.raises(NotAllowed):
        moderation.set_language(make.user(), idea, "en")
    with pytest.raises(Invalid):
        moderation.set_language(staff, idea, "klingon")
    assert idea.language == "cs"


# -- the list's language filter ----------------------------------------------------

@pytest.fixture
def mixed(db, make):
    """A challenge in voting with ideas in three languages, and some that only their
    authors and staff may see: hidden, withdrawn, merged."""
    staff = make.user()
    challenge = make.challenge(make.company(staff=[staff]), phase="voting")
    author = make.user()
    ideas = {
        "cs": [make.idea(challenge, language="cs", up_votes=i) for i in range(5)],
        "en": [make.idea(challenge, language="en", up_votes=i) for i in range(3)],
        "zh": [make.idea(challenge, language="zh")],
    }
    hidden = make.idea(challenge, author, language="ru", hidden_at=ideas["cs"][0].created_at)
    withdrawn = make.idea(challenge, author, language="ru", status="withdrawn")
    merged = make.idea(challenge, language="de", status="merged")
    db.session.commit()
    listing._page_statement.cache_clear()
    return {"challenge": challenge, "staff": staff, "author": author, "ideas": ideas, "hidden": hidden,
            "withdrawn": withdrawn, "merged": merged}


def _ids(page):
    return {row.id for row in page.items}


def test_the_filter_shows_only_that_language(db, mixed):
    challenge = mixed["challenge"]
    for code, ideas in mixed["ideas"].items():
        for sort in listing.SORTS:
            page = idea_page(None, challenge, sort, 1, language=code, language_total=len(ideas))
            assert _ids(page) == {i.id for i in ideas}, (code, sort)
            assert {row.language for row in page.items} == {code}


def test_filtered_pages_walk_each_idea_once_and_know_the_last_page(db, mixed):
    challenge = mixed["challenge"]
    czech = [i.id for i in mixed["ideas"]["cs"]]
    seen, number = [], 1
    while True:  # pages past the middle are read backwards from the language's count
        page = idea_page(None, challenge, "top", number, per_page=2, language="cs", language_total=5)
        assert page.pages == 3
        seen.extend(row.id for row in page.items)
        if not page.has_next:
            break
        number += 1
    assert sorted(seen) == sorted(czech) and len(seen) == 5
    assert idea_page(None, challenge, "top", 4, per_page=2, language="cs", language_total=5).items == []


def test_counts_never_reveal_what_the_reader_may_not_see(db, make, mixed):
    challenge = mixed["challenge"]
    public = {"cs": 5, "en": 3, "zh": 1}
    assert language_counts(None, challenge) == public  # a visitor
    assert language_counts(make.user(), challenge) == public  # another member
    # the author sees their own hidden and withdrawn ideas, and so counts them
    assert language_counts(mixed["author"], challenge) == {**public, "ru": 2}
    # staff see everything but merged ideas (whose pages redirect)
    assert language_counts(mixed["staff"], challenge) == {**public, "ru": 2}
    # and the filter itself lists nothing a visitor may not see
    assert idea_page(None, challenge, "new", 1, language="ru", language_total=0).items == []
    assert idea_page(make.user(), challenge, "new", 1, language="ru", language_total=0).items == []
    assert idea_page(None, challenge, "new", 1, language="de", language_total=0).items == []
    mine = idea_page(mixed["author"], challenge, "new", 1, language="ru", language_total=2)
    assert _ids(mine) == {mixed["hidden"].id, mixed["withdrawn"].id}
