"""Generated covers: the same for the same challenge, different between challenges,
served by key with nothing in them about the challenge."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ideas.challenges import covers


def test_the_same_challenge_always_gets_the_same_cover():
    key = covers.cover_key(7, "Quiet dishwashers")
    assert key == covers.cover_key(7, "Quiet dishwashers")
    assert covers.cover_svg(key) == covers.cover_svg(key)
    assert covers.KEY.fullmatch(key)


def test_different_challenges_get_different_covers():
    keys = {covers.cover_key(n, f"Challenge {n}") for n in range(1, 301)}
    assert len(keys) == 300
    svgs = {covers.cover_svg(k) for k in keys}
    assert len(svgs) == 300
    # the same title on another challenge, or a new title, is another cover
    assert covers.cover_key(1, "A") != covers.cover_key(2, "A") != covers.cover_key(2, "B")


def test_covers_vary_in_pattern_and_palette_and_are_valid_svg():
    patterns, palettes = set(), set()
    for n in range(60):
        svg = covers.cover_svg(covers.cover_key(n, "x"))
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg") and root.get("viewBox") == "0 0 800 350"
        palettes.add(re.search(r'stop-color="(#[0-9a-f]{6})"', svg).group(1))
        patterns.add(root.find("{http://www.w3.org/2000/svg}g").get("class"))
    assert len(palettes) >= 6
    assert patterns == {"bubbles", "stripes", "triangles", "waves", "rings", "dots"}


def test_a_bad_key_is_refused():
    for bad in ("", "XYZ", "0" * 15, "0" * 17, "../../etc"):
        try:
            covers.cover_svg(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_cards_show_the_upload_or_a_generated_cover(client, db, make):
    plain = make.challenge(title="No cover here")
    other = make.challenge(title="No cover either")
    make.challenge(title="With a cover", cover_image="abc123.webp")
    db.session.commit()
    html = client.get("/challenges/").get_data(as_text=True)
    plain_url = f"/challenges/covers/{covers.cover_key(plain.id, plain.title)}.svg"
    other_url = f"/challenges/covers/{covers.cover_key(other.id, other.title)}.svg"
    assert plain_url in html and other_url in html and plain_url != other_url
    assert "/uploads/abc123.webp" in html
    page = client.get(f"/challenges/{plain.id}-{plain.slug}").get_data(as_text=True)
    assert plain_url in page


def test_the_cover_route_serves_svg_for_a_year_and_holds_no_text(client, db, make):
    secret = make.challenge(title="Secret project Falcon", visibility="invite")
    db.session.commit()
    key = covers.cover_key(secret.id, secret.title)
    response = client.get(f"/challenges/covers/{key}.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "immutable" in response.headers["Cache-Control"]
    body = response.get_data(as_text=True)
    assert "Falcon" not in body and "<text" not in body and "<script" not in body
    assert client.get("/challenges/covers/nothex.svg").status_code == 404
