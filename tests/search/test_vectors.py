"""Language centring (pure): multilingual embeddings put each language in its own
region; taking the language's mean away makes twins across languages neighbours."""

from __future__ import annotations

import numpy as np

from ideas.search import vectors


def _unit(v):
    return v / np.linalg.norm(v)


def test_centring_makes_cross_language_twins_nearest():
    rng = np.random.default_rng(7)
    dim = vectors.DIM
    language = {lang: rng.normal(size=dim) * 3 for lang in ("en", "ru")}
    topics = [rng.normal(size=dim) for _ in range(8)]
    ids, rows, langs = [], [], []
    for topic in topics:
        for lang in ("en", "ru"):
            ids.append(len(ids))
            rows.append(_unit(language[lang] + topic + rng.normal(size=dim) * 0.3))
            langs.append(lang)
    raw = np.asarray(rows, dtype=np.float32)
    means = {lang: raw[np.asarray(langs) == lang].mean(axis=0) for lang in ("en", "ru")}
    plain = vectors._normalized(raw)
    matrix = vectors.build_matrix(np.asarray(ids), raw, langs, means, raw.mean(axis=0))
    assert matrix.centring
    # idea 0 (en, topic 0): its twin is idea 1 (ru, topic 0)
    plain_sims = plain @ plain[0]
    plain_sims[0] = -1
    assert langs[int(np.argmax(plain_sims))] == "en"  # without centring: another English text
    sims = matrix.centred @ matrix.centred[0]
    sims[0] = -1
    assert int(np.argmax(sims)) == 1


def test_no_centring_until_every_language_has_a_mean():
    raw = np.eye(3, vectors.DIM, dtype=np.float32)
    matrix = vectors.build_matrix(np.arange(3), raw, ["en", "ru", "zh"], {"en": raw[0]}, raw.mean(axis=0))
    assert not matrix.centring
    assert np.allclose(matrix.centre(raw[1], "ru"), raw[1])


def test_vectors_round_trip_as_float16():
    v = _unit(np.arange(vectors.DIM, dtype=np.float32))
    assert np.allclose(vectors.from_bytes(vectors.to_bytes(v)), v, atol=1e-3)
