"""Searching through the services, on both backends: the multilingual examples of
issue 20, phrases, exclusion, facets, sorting, pagination, did you mean."""

from __future__ import annotations

from datetime import datetime, timedelta

from ideas.search import services
from tests.search.helpers import commit_and_sync, found


def _ideas(make, challenge, *texts):
    author = make.user()
    return [make.idea(challenge, author, title=t, summary=s, description=d) for t, s, d in texts]


def test_the_four_languages_find_other_forms(make, db):
    challenge = make.challenge(title="Laundry at home")
    en, ru, cs, zh = _ideas(
        make, challenge,
        ("Quiet washing machine", "A washing machine that runs at night", "Soft mounts."),
        ("Ремонт стиральных машин", "Сервис для стиральных машин", "Быстро."),
        ("Sdílené pračky v domě", "Pračky pro celý dům", "Rezervace."),
        ("智能洗衣机", "我想买一台全自动洗衣机", "节能"),
    )
    commit_and_sync()
    user = make.user()

    def titles(q):
        return {r.title.striptags() for r in found(user, q).results if r.kind == "idea"}

    assert en.title in titles("washing machines")
    assert ru.title in titles("стиральная машина")
    assert cs.title in titles("pracka")
    assert cs.title in titles("pračka")
    assert zh.title in titles("洗衣机")


def test_phrase_and_exclusion(make, db):
    challenge = make.challenge()
    a, b = _ideas(make, challenge,
                  ("Steam cycle", "the drum gets a steam cycle", "x"),
                  ("Cycle of steam", "a cycle with no drum steam at all", "x"))
    commit_and_sync()
    user = make.user()
    phrase = {r.title.striptags() for r in found(user, '"steam cycle"').results}
    assert a.title in phrase and b.title not in phrase
    both = {r.title.striptags() for r in found(user, "steam cycle").results}
    assert {a.title, b.title} <= both
    excluded = {r.title.striptags() for r in found(user, "steam -drum").results}
    assert not excluded & {a.title, b.title}


def test_snippets_mark_the_matching_words(make, db):
    challenge = make.challenge()
    _ideas(make, challenge, ("Dryer", "Two washing machines share one dryer", "x"))
    commit_and_sync()
    page = found(make.user(), "washing machine")
    idea = next(r for r in page.results if r.kind == "idea")
    assert "<mark>washing</mark>" in str(idea.snippet) and "<mark>machines</mark>" in str(idea.snippet)


def test_facets_sorting_and_pagination(make, db):
    one = make.challenge(title="Laundry")
    two = make.challenge(title="Kitchen")
    author = make.user()
    start = datetime(2026, 1, 1)
    for n in range(25):
        make.idea(one if n % 5 else two, author, title=f"Kettle {n}", summary="A kettle that whistles", description="x",
                  created_at=start + timedelta(days=n))
    commit_and_sync()
    user = make.user()
    page = found(user, "kettle")
    assert page.total == 25 and page.pages == 2 and len(page.results) == 20
    challenges = {v.label: v.count for v in page.facets["challenge"]}
    assert challenges == {"Laundry": 20, "Kitchen": 5}
    kinds = {v.value: v.count for v in page.facets["kind"]}
    assert kinds == {"idea": 25}
    second = found(user, "kettle", page=2)
    assert len(second.results) == 5
    narrowed = found(user, "kettle", filters={"challenge": str(two.id)})
    assert narrowed.total == 5
    # the selected facet still offers the other challenge, with its count
    assert {v.label: v.count for v in narrowed.facets["challenge"]} == challenges
    newest = found(user, "kettle", sort="new")
    oldest = found(user, "kettle", sort="old")
    assert newest.results[0].title.striptags() == "Kettle 24"
    assert oldest.results[0].title.striptags() == "Kettle 0"


def test_results_open_at_the_comment(make, db):
    challenge = make.challenge()
    idea = _ideas(make, challenge, ("Filter", "A lint filter", "x"))[0]
    from ideas.submissions.comments import post_comment

    comment = post_comment(make.user(), idea, "What about a magnetic flap?")
    commit_and_sync()
    page = found(make.user(), "magnetic flap")
    hit = next(r for r in page.results if r.kind == "comment")
    assert hit.url.endswith(f"#comment-{comment.id}") and f"/ideas/{idea.id}-" in hit.url


def test_did_you_mean_uses_the_index_words(make, db):
    challenge = make.challenge()
    _ideas(make, challenge, ("Detergent", "A detergent dispenser", "x"))
    commit_and_sync()
    page = found(make.user(), "detergnet")
    assert page.total == 0 and page.suggestion == "detergent"


def test_a_query_that_would_scan_everything_is_refused(make, db):
    for q in ("*", "*ash", "the", "-dryer"):
        page = services.search(db.session, make.user(), q)
        assert page.error or page.notes, q
