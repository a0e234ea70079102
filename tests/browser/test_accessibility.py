"""WCAG 2.1 AA in a real browser: axe-core audits every main page of the demo as a
visitor, a member, staff and a judge (and the home and idea pages at phone width), and
no serious or critical violation is allowed; then what axe cannot see: the keyboard
alone through the skip link, a menu, voting, the pairwise picker and a staff dialog,
with focus visible and changes announced.

axe-core is installed from the npm registry by the project's set-up
(`python tools/fetch_assets.py`, pinned in package.json and package-lock.json) into
tests/browser/vendor/axe.min.js, which the app does not serve. No PyPI wheel ships
that version, so on a machine without npm these tests skip and say so.

Each audited page is one test, its id `<role>-<page>` (`-v` lists them, and each
prints the URL it audited with the count of rules that passed); a failure names each
rule, its impact, where to read about it, and the offending nodes with their HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.browser.conftest import DESKTOP, PHONE, login

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")

WASHER = "Keep the washing machine fresh"
BUS_STOPS = "Connectivity at rural bus stops"
DISHWASHER = "A dishwasher you can't hear from the sofa"
SCOOTERS = "Safer shared e-scooters"
PICTURED = "Тёплый обдув уплотнителя после стирки"  # an idea with an image and a discussion
SHORTLISTED = "Ramp the drain pump instead of switching it on"
SCORED = "Режим «кино»: шумные фазы переносятся"  # on the dishwasher shortlist, scored by every judge

# Who each role is in the demo: English-speaking accounts, so that a failure reads plainly.
ACCOUNTS = {"member": "emma.clarke", "staff": "tom.hale", "judge": "judge.mitchell"}  # her scorecards are in


def _group_id(live):
    from ideas.focus_groups.models import FocusGroup

    return live.scalar(select(FocusGroup.id).order_by(FocusGroup.id))


def _thread_path(live):
    from ideas.focus_groups.models import Post

    post = live.scalar(select(Post.id).where(Post.thread_id.is_(None)).order_by(Post.id))
    return f"/focus-groups/{_group_id(live)}/board/{post}"


def _prototype_path(live):
    from ideas.prototypes.models import Prototype

    return f"/prototypes/{live.scalar(select(Prototype.id).order_by(Prototype.id))}"


def _idea_id(live, title):
    return live.idea_path(title).split("/")[2].split("-")[0]


def _challenge_id(live, title_start):
    return live.challenge_path(title_start).split("/")[2].split("-")[0]


def _open_first(selector: str) -> Callable:
    def act(page):
        page.locator(selector).first.click()
        page.wait_for_timeout(250)  # Bootstrap's dropdown and <details> open at once; let it paint
    return act


def _send_empty(page):
    with page.expect_navigation():
        page.locator("main form.card button[type=submit]").click()


@dataclass(frozen=True)
class Page:
    role: str  # visitor, member, staff, judge
    name: str
    path: Callable  # live -> path
    act: Callable | None = None  # what a person does on the page before it is audited
    viewport: dict = None

    @property
    def id(self) -> str:
        return f"{self.role}-{self.name}" + ("-390px" if self.viewport == PHONE else "")


def _p(role, name, path, act=None, viewport=None):
    return Page(role, name, path if callable(path) else (lambda live, _path=path: _path), act, viewport)


PAGES = [
    # a visitor
    _p("visitor", "home", "/"),
    _p("visitor", "home-explore-menu", "/", _open_first("header button.dropdown-toggle")),
    _p("visitor", "challenges", "/challenges/"),
    _p("visitor", "challenge", lambda live: live.challenge_path(WASHER)),
    _p("visitor", "challenge-results", lambda live: live.challenge_path(SCOOTERS)),
    _p("visitor", "ideas", lambda live: live.challenge_path(WASHER, "/ideas")),
    _p("visitor", "idea", lambda live: live.idea_path(PICTURED)),
    _p("visitor", "compare", lambda live: live.challenge_path(BUS_STOPS, "/compare")),
    _p("visitor", "search", "/search?q=seal"),
    _p("visitor", "login", "/login"),
    _p("visitor", "register", "/register"),
    _p("visitor", "profile", "/members/emma.clarke"),
    _p("visitor", "leaderboard", "/leaderboard"),
    _p("visitor", "experts", "/experts"),
    _p("visitor", "prototypes", "/prototypes"),
    _p("visitor", "prototype", _prototype_path),
    _p("visitor", "companies", "/companies/"),
    _p("visitor", "not-found", "/ideas/999999"),
    # a member
    _p("member", "home", "/"),
    _p("member", "account-menu", "/", _open_first("header .navbar-nav:last-child button.dropdown-toggle")),
    _p("member", "idea", lambda live: live.idea_path(PICTURED)),
    _p("member", "idea-reply-open", lambda live: live.idea_path(PICTURED), _open_first("#comments summary")),
    _p("member", "new-idea", lambda live: live.challenge_path(WASHER, "/ideas/new")),
    _p("member", "new-idea-errors", lambda live: live.challenge_path(WASHER, "/ideas/new"), _send_empty),
    _p("member", "compare", lambda live: live.challenge_path(BUS_STOPS, "/compare")),
    _p("member", "search", "/search?q=drum"),
    _p("member", "profile", "/members/emma.clarke"),
    _p("member", "contributions", "/me/contributions"),
    _p("member", "notifications", "/notifications/"),
    _p("member", "feed", "/feed"),
    _p("member", "settings", "/settings"),
    _p("member", "mail-preferences", "/notifications/settings"),
    _p("member", "focus-groups", "/focus-groups"),
    _p("member", "focus-group", lambda live: f"/focus-groups/{_group_id(live)}"),
    _p("member", "focus-group-board", lambda live: f"/focus-groups/{_group_id(live)}/board"),
    _p("member", "focus-group-thread", _thread_path),
    _p("member", "focus-group-sessions", lambda live: f"/focus-groups/{_group_id(live)}/sessions"),
    _p("member", "focus-group-feedback", lambda live: f"/focus-groups/{_group_id(live)}/feedback"),
    _p("member", "prototype", _prototype_path),
    # staff of Lumora Home
    _p("staff", "home", "/"),
    _p("staff", "challenge", lambda live: live.challenge_path(DISHWASHER)),
    _p("staff", "moderation", lambda live: live.challenge_path(DISHWASHER, "/moderation")),
    _p("staff", "new-challenge", "/challenges/new"),
    _p("staff", "judging-setup-and-progress", lambda live: live.challenge_path(DISHWASHER, "/judging")),
    _p("staff", "judging-rubric", lambda live: live.challenge_path(DISHWASHER, "/judging/rubric")),
    _p("staff", "judging-ranking", lambda live: live.challenge_path(DISHWASHER, "/judging/ranking")),
    _p("staff", "judging-community", lambda live: live.challenge_path(DISHWASHER, "/judging/community")),
    _p("staff", "idea", lambda live: live.idea_path(PICTURED)),
    _p("staff", "idea-action-open", lambda live: live.idea_path(PICTURED), _open_first("main button.dropdown-toggle")),
    _p("staff", "scorecards", lambda live: f"/judging/ideas/{_idea_id(live, SHORTLISTED)}/scorecards"),
    # a judge of the dishwasher panel
    _p("judge", "judging", "/judging"),
    _p("judge", "queue", lambda live: f"/judging/challenges/{_challenge_id(live, DISHWASHER)}"),
    _p("judge", "scorecard", lambda live: f"/judging/ideas/{_idea_id(live, SCORED)}"),
    # a phone (390 px)
    _p("visitor", "home", "/", viewport=PHONE),
    _p("visitor", "idea", lambda live: live.idea_path(PICTURED), viewport=PHONE),
    _p("member", "home", "/", viewport=PHONE),
    _p("member", "idea", lambda live: live.idea_path(PICTURED), viewport=PHONE),
]


class _Script(str):
    def __repr__(self) -> str:  # a failure's traceback shows this, not 570 kB of script
        return f"<axe.min.js, {len(self)} characters>"


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"accessibility audit skipped: {AXE.relative_to(AXE.parents[3])} is missing. "
                    "Run `python tools/fetch_assets.py` on a machine with npm: it installs axe-core "
                    "(pinned in package.json) from the npm registry; no PyPI wheel ships that version.")
    return _Script(AXE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def signed_in(browser, live):
    """One logged-in browser context per role for the whole module (logging in before
    each of sixty pages would take longer than the audits)."""
    from tests.browser.conftest import _new_context

    contexts = {}

    def page_for(role: str):
        if role not in contexts:
            context = _new_context(browser, live)
            page = context.new_page()
            if role != "visitor":
                login(page, ACCOUNTS[role])
            contexts[role] = (context, page)
        return contexts[role][1]

    yield page_for
    for context, _page in contexts.values():
        context.close()


def run_axe(page, source: str) -> dict:
    """axe-core's full run on the page as it stands. Evaluated through the DevTools
    protocol, which the page's Content-Security-Policy (script-src 'self') allows,
    unlike an injected <script>."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate("() => {\n" + source + "\n}")
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return {violations: r.violations, passes: r.passes.length, url: r.url, version: axe.version};
    }""")


def describe(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:240]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more nodes")
    return "\n".join(lines)


@pytest.mark.parametrize("spec", PAGES, ids=[p.id for p in PAGES])
def test_no_serious_or_critical_violation(spec: Page, live, signed_in, axe_source, _opened):
    page = signed_in(spec.role)
    if page not in _opened:
        _opened.append(page)  # the conftest saves a screenshot and the HTML if this fails
    page.set_viewport_size(spec.viewport or DESKTOP)
    path = spec.path(live)
    response = page.goto(path)
    page.wait_for_load_state("networkidle")  # htmx parts (similar ideas) are in
    assert response is not None and response.status in (200, 404), f"{path}: HTTP {response and response.status}"
    if spec.act:
        spec.act(page)
        page.wait_for_load_state("networkidle")
    result = run_axe(page, axe_source)
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
    others = [v for v in result["violations"] if v["impact"] not in BLOCKING]
    print(f"axe {result['version']} {spec.id}: {result['url']}: {result['passes']} rules passed, "
          f"{len(blocking)} serious or critical, {len(others)} moderate or minor"
          + (f"\n{describe(others)}" if others else ""))
    assert not blocking, (f"{spec.id} ({path}): {len(blocking)} serious or critical axe violation(s)\n"
                          + describe(blocking))


def test_every_role_and_main_page_is_covered():
    """The audit's list itself: the four roles, and the pages the issue names."""
    ids = {p.id for p in PAGES}
    assert {p.role for p in PAGES} == {"visitor", "member", "staff", "judge"}
    for needed in ("visitor-home", "member-home", "visitor-challenges", "visitor-challenge", "visitor-ideas",
                   "visitor-idea", "member-new-idea", "member-compare", "visitor-search", "visitor-login",
                   "visitor-register", "visitor-profile", "visitor-leaderboard", "visitor-experts",
                   "visitor-prototypes", "visitor-prototype", "member-notifications", "member-settings",
                   "staff-moderation", "staff-new-challenge", "staff-judging-setup-and-progress",
                   "staff-judging-ranking", "staff-home", "judge-queue", "judge-scorecard",
                   "member-focus-group", "visitor-home-390px", "visitor-idea-390px"):
        assert needed in ids, needed
    assert len(ids) == len(PAGES)


# -- what axe cannot see: the keyboard alone -----------------------------------------------

def focused(page) -> dict:
    return page.evaluate("""() => { const a = document.activeElement; const s = getComputedStyle(a);
        return {tag: a.tagName, id: a.id, text: (a.innerText || a.value || '').trim().slice(0, 80),
                outline: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0, color: s.outlineColor}; }""")


def live_text(page) -> str:
    return page.locator("#live-status").inner_text()


def test_skip_link_comes_first_and_leads_to_the_main_content(page):
    page.goto("/challenges/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["tag"] == "A" and first["text"] == "Skip to main content"
    assert page.locator("a.skip-link").is_visible()  # shown once focused
    assert first["outline"] == "solid" and first["width"] >= 2  # and the focus ring is visible
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")  # the next stop is inside the page's content, not the navigation again
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)")


def test_landmarks_and_one_h1_on_the_main_pages(page, live):
    for path in ("/", "/challenges/", live.idea_path(PICTURED), "/leaderboard"):
        page.goto(path)
        assert page.locator("header nav").count() == 1 and page.locator("main#main").count() == 1
        assert page.locator("body > footer").count() == 1
        assert page.locator("h1").count() == 1, path


def test_menus_open_move_and_close_from_the_keyboard(page):
    page.goto("/")
    toggle = page.locator("header button.dropdown-toggle", has_text="Explore")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert focused(page)["text"] == "Prototypes"
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert focused(page)["text"] == "Explore"  # focus is back on the button that opened it


def _locale(live, username: str) -> str:
    from ideas.accounts.models import User

    return live.scalar(select(User.locale).where(User.username == username))


def test_voting_by_keyboard_keeps_focus_and_is_announced(page, live):
    login(page, "lucie.kralova")
    lang = _locale(live, "lucie.kralova")  # she reads the site in Czech: the announcements are hers
    page.goto(live.idea_path("A monthly hot finish inside the eco programme"))
    idea = _idea_id(live, "A monthly hot finish inside the eco programme")
    up = page.locator(f"#vote-{idea}-up")
    if up.get_attribute("aria-pressed") == "true":  # start from no up-vote, whatever the demo says
        up.focus()
        page.keyboard.press("Enter")
        page.locator(f"#vote-{idea}-up[aria-pressed=false]").wait_for()
    count = int(page.locator(f"#vote-{idea} .text-success.fs-4").inner_text())
    page.locator(f"#vote-{idea}-up").focus()
    page.keyboard.press("Enter")
    page.locator(f"#vote-{idea}-up[aria-pressed=true]").wait_for()
    assert focused(page)["id"] == f"vote-{idea}-up"  # the swap kept the focus where it was
    page.wait_for_function("() => document.getElementById('live-status').textContent.length > 0")
    assert live_text(page).startswith(live.gettext("You voted for this idea.", lang))
    assert f"{count + 1} " in live_text(page)  # the new count, in words of her language
    page.keyboard.press("Enter")  # and again: the vote is taken back, from the same key
    page.locator(f"#vote-{idea}-up[aria-pressed=false]").wait_for()
    assert focused(page)["id"] == f"vote-{idea}-up"
    page.wait_for_function("(text) => document.getElementById('live-status').textContent.startsWith(text)",
                           arg=live.gettext("Your vote is taken back.", lang).rstrip("."))


def test_pairwise_picker_by_keyboard_returns_to_the_next_pair(page, live):
    login(page, "lucie.kralova")
    page.goto(live.challenge_path(BUS_STOPS, "/compare"))
    choice = page.locator("#pair button[name=winner]").first
    if not choice.count():
        pytest.skip("no pair left to compare for this member in the demo")
    choice.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/compare#pair")
    assert focused(page)["id"] == "pair"  # the next pair, not the top of the page
    page.keyboard.press("Tab")
    assert focused(page)["tag"] == "A"  # the first idea of the new pair (its title link)
    assert page.get_by_text(live.gettext("Thanks! Here is the next pair.", _locale(live, "lucie.kralova"))).is_visible()


def test_a_staff_dialog_is_usable_from_the_keyboard(page, live):
    login(page, "tom.hale")
    page.goto(live.idea_path(PICTURED))
    toggle = page.locator("main button.dropdown-toggle").first
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    inside = focused(page)
    assert inside["tag"] in ("INPUT", "TEXTAREA", "SELECT", "BUTTON")
    assert page.evaluate("(t) => t.parentElement.querySelector('.dropdown-menu').contains(document.activeElement)",
                         toggle.element_handle())
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"


# The colours around an element, where its ring is drawn (outside it: outline-offset): the
# first ancestor's background colour, or every colour of its gradient (the home page's hero).
_BACKDROP = """(el) => { for (let e = el.parentElement; e; e = e.parentElement) { const s = getComputedStyle(e);
    const colours = (s.backgroundImage || '').match(/rgba?\\([^)]*\\)/g) || [];
    if (colours.length) return colours.map(c => c.match(/[\\d.]+/g).slice(0, 3).map(Number));
    const c = s.backgroundColor;
    if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return [c.match(/[\\d.]+/g).slice(0, 3).map(Number)];
  } return [[255, 255, 255]]; }"""


def test_the_focus_ring_has_contrast_on_light_and_brand_backgrounds(page):
    """WCAG 2.4.7 and 1.4.11: the keyboard focus ring is at least 3:1 against what is
    behind it, on the page's light grey, in the white navigation and on the indigo hero."""
    page.goto("/")
    checked = 0
    for selector in ("header a.navbar-brand", "section.hero a.btn", "footer button",
                     "main section a:not(.btn):not(.stretched-link)"):
        target = page.locator(selector).first
        if not target.count():
            continue
        target.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # keyboard focus (:focus-visible), as a keyboard user sees it
        ring = focused(page)
        assert ring["outline"] == "solid" and ring["width"] >= 3, (selector, ring)
        outline = [int(float(x)) for x in re.findall(r"[\d.]+", ring["color"])[:3]]
        for backdrop in target.evaluate(_BACKDROP):
            assert _contrast(outline, backdrop) >= 3, (selector, ring["color"], backdrop)
        checked += 1
    assert checked >= 3


def _contrast(a, b) -> float:
    def luminance(rgb):
        def channel(c):
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b_ = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
