"""The analyzer and the query parser (pure: no app, no index)."""

from __future__ import annotations

import pickle

import pytest

from ideas.search import analyzer, query
from ideas.search.snippets import highlight


def common(a: str, b: str) -> set[str]:
    return set(analyzer.terms(a)) & set(analyzer.terms(b, for_query=True))


@pytest.mark.parametrize(("text", "typed"), [
    ("A quiet washing machine", "washing machines"),
    ("Стиральных машин стало больше", "стиральная машина"),
    ("Nová pračka šetří vodu", "pracka"),
    ("Dvě pračky v jednom domě", "pračka"),
    ("Pračce chybí filtr", "pracky"),
    ("我想买一台全自动洗衣机", "洗衣机"),
    ("我想买一台全自动洗衣机", "自动"),
    ("Ёлка в доме", "елка"),
])
def test_other_forms_and_spellings_share_terms(text, typed):
    words = query.parse(typed)
    assert not words.error
    for clause in words.required:
        for _distance, alts in clause.positions:
            assert set(alts) & set(analyzer.terms(text)), (text, typed, alts)


def test_accent_folding_is_for_latin_only():
    # й must stay й (NFKD folding would turn it into и)
    assert analyzer.terms("йод") == ["йод"]
    assert analyzer.fold("Pračka") == "pracka"
    assert analyzer.fold("Йогурт") == "йогурт"


def test_jieba_gets_only_the_cjk_runs():
    tokens = analyzer.analyze("Pračka 洗衣机 Стиральная")
    texts = [t.term for t in tokens]
    assert "洗衣机" in texts
    assert "prack" in texts and "стиральн" in texts
    # offsets point at the words in the text
    for token in tokens:
        assert token.end > token.start


def test_latin_word_has_both_stems_at_one_position():
    tokens = analyzer.analyze("pračky")
    assert {t.pos for t in tokens} == {0}
    assert {t.term for t in tokens} == {"pracki", "prack"}


def test_stopwords_are_skipped_but_keep_positions():
    tokens = analyzer.analyze("the washing of machines")
    assert {t.pos for t in tokens} == {1, 3}
    assert {"wash", "machin"} <= {t.term for t in tokens}


@pytest.mark.parametrize(("text", "lang"), [
    ("A quiet washing machine", "en"), ("Tichá pračka na noc", "cs"),
    ("Тихая стиральная машина", "ru"), ("安静的洗衣机", "zh"), ("", "en"),
])
def test_detect_language(text, lang):
    assert analyzer.detect_language(text) == lang


def test_whoosh_analyzer_pickles_and_yields_positions():
    again = pickle.loads(pickle.dumps(analyzer.WhooshAnalyzer()))
    tokens = [(t.text, t.pos, t.startchar) for t in again("quiet pračky", positions=True, chars=True)]
    assert ("quiet", 0, 0) in tokens and ("prack", 1, 6) in tokens


def test_parse_phrases_exclusions_and_caps():
    parsed = query.parse('"washing machine" -dryer steam')
    assert [c.phrase for c in parsed.required] == [True, False]
    assert [(d, "wash" in alts) for d, alts in parsed.required[0].positions[:1]] == [(0, True)]
    assert parsed.required[0].positions[1][0] == 1
    assert query.to_tsquery(parsed).startswith("(('wash' | 'washing') <-> (")
    assert "& !(" in query.to_tsquery(parsed)


@pytest.mark.parametrize("text", ["", "   ", "*", "the", "-dryer", "???"])
def test_parse_refuses_what_would_scan_everything(text):
    assert query.parse(text).error


def test_parse_caps_words_and_ignores_wildcards():
    parsed = query.parse(" ".join(f"word{i}x" for i in range(1000)))
    assert sum(len(c.positions) for c in parsed.required) == query.MAX_WORDS
    assert parsed.notes
    wild = query.parse("*ash wash*")
    assert not wild.error and wild.notes


def test_tsquery_quotes_lexemes():
    parsed = query.parse("o'brien")
    assert "''" in query.to_tsquery(parsed)


def test_highlight_marks_other_forms_and_escapes():
    html = highlight("Dvě pračky & <em> jedna Pračka", query.parse("pracka").terms())
    assert str(html).count("<mark>") == 2
    assert "&amp; &lt;em" in str(html)


def test_highlight_picks_the_passage_with_the_words():
    text = "filler " * 100 + "the steam cycle cleans the drum " + "filler " * 100
    html = str(highlight(text, query.parse("steam drum").terms(), width=80))
    assert html.startswith("…") and "<mark>steam</mark>" in html and "<mark>drum</mark>" in html
