"""Numbers, percentages, money and dates are written for the reader's locale: the same
page shows 1,234 to an English or Chinese reader and 1 234 (a no-break space) to a
Czech or Russian one."""

from datetime import datetime
from decimal import Decimal

import pytest
from flask_babel import force_locale

from ideas.challenges.models import PhasePlan
from ideas.core import i18n

NBSP = "\u00a0"
# format_date(…, "medium") of 24 December 2026 in each locale (CLDR through Babel)
DATES = {"en": "Dec 24, 2026", "cs": "24. 12. 2026", "ru": "24 дек. 2026\u202fг.", "zh": "2026年12月24日"}
MONEY = {"en": "€5,000.00", "cs": f"5{NBSP}000,00{NBSP}€", "ru": f"5{NBSP}000,00{NBSP}€", "zh": "€5,000.00"}
COUNT = {"en": "1,234", "cs": f"1{NBSP}234", "ru": f"1{NBSP}234", "zh": "1,234"}


@pytest.fixture
def challenge(db, make):
    challenge = make.challenge(phase="submission", reward_amount=Decimal("5000"), reward_currency="EUR")
    challenge.idea_count = 1234
    plan = db.session.query(PhasePlan).filter_by(challenge_id=challenge.id, phase="submission").one()
    plan.ends_at = datetime(2026, 12, 24, 12, 0)
    db.session.commit()
    return challenge


@pytest.mark.parametrize("locale", ["en", "cs", "ru", "zh"])
def test_the_challenge_page_writes_numbers_money_and_dates_for_the_locale(client, challenge, locale):
    page = client.get(f"/challenges/{challenge.id}-{challenge.slug}",
                      headers={"Accept-Language": locale}).get_data(as_text=True)
    assert f"({COUNT[locale]})</a>" in page  # "Browse the ideas (1,234)"
    assert MONEY[locale] in page
    assert DATES[locale] in page


@pytest.mark.parametrize("locale", ["en", "cs", "ru", "zh"])
def test_counts_inside_plural_messages_are_formatted_too(client, challenge, locale):
    page = client.get("/challenges/", headers={"Accept-Language": locale}).get_data(as_text=True)
    assert COUNT[locale] in page  # the card's "1,234 ideas", in the reader's plural form
    assert "1234" not in page


def test_a_message_with_num_d_takes_the_formatted_count(app):
    template = app.jinja_env.from_string('{{ ngettext("%(num)d point", "%(num)d points", n) }}')
    with force_locale("cs"):
        assert template.render(n=12345) == f"12{NBSP}345 bodů"  # Czech count and Czech plural
    with force_locale("en"):
        assert template.render(n=1) == "1 point"
        assert i18n.ngettext("%(num)d idea", "%(num)d ideas", 2500) == "2,500 ideas"


@pytest.mark.parametrize("locale,decimal,signed,share", [
    ("en", "3.50", "+0.35", "42%"),
    ("cs", "3,50", "+0,35", f"42{NBSP}%"),
    ("ru", "3,50", "+0,35", f"42{NBSP}%"),
    ("zh", "3.50", "+0.35", "42%"),
])
def test_decimals_signs_and_percentages(app, locale, decimal, signed, share):
    with force_locale(locale):
        assert i18n.number(3.5, 2) == decimal
        assert i18n.signed(0.35, 2) == signed
        assert i18n.signed(-1.2, 2).startswith("-") and i18n.signed(0, 0) == "+0"
        assert i18n.percent(0.42) == share
        assert i18n.number(None) == i18n.percent(None) == ""


def test_a_time_for_a_member_in_their_zone_and_language():
    at = datetime(2026, 12, 24, 13, 5)  # UTC
    assert i18n.when_for(at, "cs", "Europe/Prague") == "24.12.26 14:05 (Europe/Prague)"
    assert i18n.when_for(at, "en", None) == "12/24/26, 1:05\u202fPM (UTC)"
    assert i18n.when_for(at, "en", "Not/AZone").endswith("(UTC)")
