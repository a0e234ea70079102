"""Icons instead of emoji, and one label, colour and icon per status and per phase."""

from __future__ import annotations

import pathlib
import re

import pytest

from ideas.challenges import phases
from ideas.core.icons import icon
from ideas.submissions import statuses

TEMPLATES = pathlib.Path(__file__).resolve().parents[2] / "templates"
# Pictographs, dingbats and the geometric shapes the templates used as icons.
EMOJI = re.compile("[\U0001F000-\U0001FFFF\u2600-\u27BF\u25A0-\u25FF\u2B00-\u2BFF\u21A9\u21B6\u21BA\u2691]")


def test_no_template_draws_an_icon_with_an_emoji():
    found = [f"{path.relative_to(TEMPLATES)}:{n}: {line.strip()[:80]}"
             for path in TEMPLATES.rglob("*.html")
             for n, line in enumerate(path.read_text().splitlines(), start=1) if EMOJI.search(line)]
    assert found == []


def test_an_icon_is_decorative_or_labelled():
    assert str(icon("bell")) == '<i class="bi bi-bell" aria-hidden="true"></i>'
    labelled = str(icon("chat", "Comments <3"))
    assert 'role="img"' in labelled and 'aria-label="Comments &lt;3"' in labelled
    assert "aria-hidden" not in labelled
    with pytest.raises(ValueError):
        icon('bell" onclick="x')


def test_each_status_has_its_own_label_colour_and_icon():
    table = statuses.STATUSES.values()
    for attribute in ("label", "style", "icon"):
        values = [getattr(s, attribute) for s in table]
        assert len(set(values)) == len(values), attribute


def test_each_phase_has_its_own_colour_and_icon():
    assert set(phases.BADGE_CLASSES) == set(phases.PHASES) == set(phases.ICONS)
    for table in (phases.BADGE_CLASSES, phases.ICONS, phases.LABELS):
        values = [str(v) for v in table.values()]
        assert len(set(values)) == len(values)


def test_custom_badge_colours_are_defined_in_the_stylesheet():
    css = (TEMPLATES.parent / "static" / "css" / "app.css").read_text()
    bootstrap = {"primary", "secondary", "success", "danger", "warning", "info", "light", "dark"}
    custom = {s.style for s in statuses.STATUSES.values()} - bootstrap
    custom |= {c.removeprefix("text-bg-") for c in phases.BADGE_CLASSES.values()} - bootstrap
    for name in custom:
        assert f".text-bg-{name} {{" in css


def test_a_status_badge_looks_the_same_on_every_page(client, db, make):
    challenge = make.challenge(phase="closed")
    winner = make.idea(challenge, title="The winning one", status="winner")
    db.session.commit()
    badge = 'class="badge status-badge text-bg-success"><i class="bi bi-trophy-fill" aria-hidden="true"></i> Winner</span>'
    pages = [f"/challenges/{challenge.id}-{challenge.slug}", f"/ideas/{winner.id}-{winner.slug}",
             f"/challenges/{challenge.id}-{challenge.slug}/ideas", f"/members/{winner.author.username}"]
    for url in pages:
        html = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert badge in html, url


def test_every_icon_on_the_main_pages_is_hidden_or_labelled(client, db, make):
    challenge = make.challenge(phase="voting")
    idea = make.idea(challenge, title="An idea")
    member = make.user()
    db.session.commit()
    pages = ["/", "/challenges/", f"/challenges/{challenge.id}-{challenge.slug}",
             f"/challenges/{challenge.id}-{challenge.slug}/ideas", f"/ideas/{idea.id}-{idea.slug}"]
    client.login(member)
    seen = 0
    for url in pages + ["/notifications/", "/me/contributions"]:
        html = client.get(url).get_data(as_text=True)
        for tag in re.findall(r"<i class=\"bi [^>]*>", html):
            seen += 1
            assert 'aria-hidden="true"' in tag or 'aria-label="' in tag, (url, tag)
    assert seen > 10
