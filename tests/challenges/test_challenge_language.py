"""A challenge's language: detected on create unless staff chose, kept or corrected on
edit; the challenges list filters by it, and its counts follow the list's visibility
(drafts and invite-only challenges are not counted for those who may not see them)."""

import pytest
from sqlalchemy import func, select

from ideas.challenges import services
from ideas.challenges.models import Challenge, ChallengeInvite
from ideas.core.errors import Invalid

CZECH = {"title": "Tišší pračka pro paneláky",
         "summary": "Jak snížit hluk při odstřeďování na polovinu?",
         "problem": "Odstřeďování budí sousedy. Hledáme nápady, které hluk sníží bez dražších motorů."}
ENGLISH = {"title": "Quieter washing machines", "summary": "How might we halve the noise of a spin cycle?",
           "problem": "Spin cycles wake the **neighbours**."}


def data(text, **kw):
    return services.ChallengeData(category="home", **text, **kw)


@pytest.fixture
def boss(make):
    user = make.user()
    return user, make.company(owner=user)


def test_create_detects_or_keeps_the_choice(db, boss):
    user, company = boss
    assert services.create_challenge(user, company, data(CZECH)).language == "cs"
    assert services.create_challenge(user, company, data(ENGLISH)).language == "en"
    assert services.create_challenge(user, company, data(ENGLISH, language="")).language == "en"
    assert services.create_challenge(user, company, data(CZECH, language="sk")).language == "sk"


def test_a_bad_language_is_refused_before_anything_is_saved(db, boss):
    user, company = boss
    with pytest.raises(Invalid) as refused:
        services.create_challenge(user, company, data(ENGLISH, language="xx"))
    assert refused.value.field == "language"
    assert db.session.scalar(select(func.count()).select_from(Challenge)) == 0


def test_edit_keeps_redetects_or_sets(db, boss):
    user, company = boss
    challenge = services.create_challenge(user, company, data(ENGLISH, language="de"))
    services.update_challenge(user, challenge, data(ENGLISH))  # None: kept
    assert challenge.language == "de"
    services.update_challenge(user, challenge, data(CZECH, language=""))  # detected from the new text
    assert challenge.language == "cs"
    services.update_challenge(user, challenge, data(CZECH, language="und"))
    assert challenge.language == "und"
    terms_before = challenge.terms_version
    with pytest.raises(Invalid):
        services.update_challenge(user, challenge, data(ENGLISH, language="english", terms="New terms"))
    assert (challenge.language, challenge.title, challenge.terms_version) == ("und", CZECH["title"], terms_before)


def test_the_list_filters_by_language_and_counts_only_what_the_reader_sees(db, make):
    staff = make.user()
    company = make.company(staff=[staff])
    public = [make.challenge(company, language="cs"), make.challenge(company, language="cs"),
              make.challenge(company, language="en")]
    make.challenge(company, phase="draft", language="ru")  # only staff see drafts
    invited = make.user()
    secret = make.challenge(company, visibility="invite", language="zh")
    db.session.add(ChallengeInvite(challenge_id=secret.id, user_id=invited.id))
    db.session.commit()

    assert services.language_counts(None) == {"cs": 2, "en": 1}
    assert services.language_counts(make.user()) == {"cs": 2, "en": 1}
    assert services.language_counts(invited) == {"cs": 2, "en": 1, "zh": 1}
    assert services.language_counts(staff) == {"cs": 2, "en": 1, "ru": 1, "zh": 1}
    assert services.language_counts(None, phase="draft") == {}

    shown = services.list_challenges(None, language="cs").items
    assert {c.id for c in shown} == {public[0].id, public[1].id}
    assert services.list_challenges(None, language="ru").items == []
    assert services.list_challenges(None, language="zh").items == []
    assert [c.language for c in services.list_challenges(staff, language="ru").items] == ["ru"]


# -- through HTTP ---------------------------------------------------------------------

def form(**kw):
    base = {"title": CZECH["title"], "summary": CZECH["summary"], "problem": CZECH["problem"],
            "criteria": "Pod 40 dB", "category": "home", "tags": "", "reward_text": "", "reward_amount": "",
            "reward_currency": "EUR", "terms": "", "visibility": "public", "vote_budget": "", "language": ""}
    base.update(kw)
    return base


def test_staff_create_with_detection_correct_it_and_a_bad_value_is_a_field_error(db, client, boss):
    user, company = boss
    db.session.commit()
    client.login(user)
    url = f"/challenges/new?company={company.id}"
    assert '<select class="form-select" id="language" name="language">' in client.get(url).get_data(as_text=True)
    refused = client.post(url, form(language="elvish"))
    assert refused.status_code == 422 and 'id="language-err"' in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Challenge)) == 0
    assert client.post(url, form()).status_code == 303
    challenge = db.session.scalar(select(Challenge))
    assert challenge.language == "cs"
    page = f"/challenges/{challenge.id}-{challenge.slug}"
    html = client.get(page, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'dir="auto" lang="cs">{CZECH["title"]}</h1>' in html
    assert '<span class="visually-hidden">Language: Czech</span>' in html
    edit = page + "/edit"
    assert '<option lang="cs" selected value="cs">Čeština</option>' in client.get(edit).get_data(as_text=True)
    assert client.post(edit, form(language="sk")).status_code == 303
    db.session.expire_all()
    assert db.session.get(Challenge, challenge.id).language == "sk"


def test_the_challenges_list_offers_the_languages_present_and_filters(db, make, client):
    company = make.company()
    make.challenge(company, language="cs", title="Tišší pračka")
    make.challenge(company, language="en", title="Quieter dishwasher")
    make.challenge(company, phase="draft", language="ru", title="Черновик")
    db.session.commit()
    page = client.get("/challenges/").get_data(as_text=True)
    assert '<select class="form-select form-select-sm" id="f-lang" name="lang">' in page
    assert '<option value="cs" >Čeština (1)</option>' in page
    assert 'Русский (' not in page  # the draft is not counted for a visitor
    filtered = client.get("/challenges/?lang=cs").get_data(as_text=True)
    assert "Tišší pračka" in filtered and "Quieter dishwasher" not in filtered
    assert '<option value="cs" selected>Čeština (1)</option>' in filtered
