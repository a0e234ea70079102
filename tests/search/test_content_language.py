"""The search's language facet follows each idea's and challenge's recorded language
(not a guess from the script), on both backends, and a correction reaches the index."""

from __future__ import annotations

from ideas.submissions import moderation
from tests.search.helpers import commit_and_sync, found


def test_the_language_facet_is_the_recorded_language(make, db):
    staff = make.user()
    challenge = make.challenge(make.company(staff=[staff]), title="Pračky a sušičky", language="cs")
    slovak = make.idea(challenge, title="Práčka, ktorá sa suší sama", language="sk",
                       summary="Práčka sama vysuší tesnenie po každom praní.", description="Bez chémie.")
    make.idea(challenge, title="Pračka, která se suší sama", language="cs",
              summary="Pračka sama vysuší těsnění po každém praní.", description="Bez chemie.")
    commit_and_sync()
    user = make.user()
    page = found(user, "pračka")
    langs = {v.value: (v.label, v.count) for v in page.facets["lang"]}
    assert langs["sk"] == ("Slovenčina", 1)  # the script alone would have said Czech
    assert langs["cs"][0] == "Čeština" and langs["cs"][1] >= 2  # the Czech idea and the challenge
    only = found(user, "pračka", filters={"lang": "sk"})
    assert [r.url.split("-")[0] for r in only.results] == [f"/ideas/{slovak.id}"]
    assert only.results[0].lang == "sk"

    moderation.set_language(staff, slovak, "cs")
    commit_and_sync()
    assert found(user, "pračka", filters={"lang": "sk"}).results == []
