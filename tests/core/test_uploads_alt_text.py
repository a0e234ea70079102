"""Every uploaded image comes with its alt text: `store_images` refuses an image without
one (or a text without an image) on that slot's field, before anything is stored."""

from __future__ import annotations

import pytest

from ideas.core.errors import Invalid
from ideas.core.uploads import MAX_ALT_TEXT, ImageUpload, store_images, upload_dir
from tests.focus_groups.conftest import not_an_image, png


def stored_files(private=False):
    folder = upload_dir(private)
    return sorted(p.name for p in folder.iterdir() if p.is_file())


def slot(stream, alt, n):
    return ImageUpload(stream, alt, n, file_field=f"images-{n - 1}-file", alt_field=f"images-{n - 1}-alt")


@pytest.mark.parametrize("alt", ["", "   ", "\n\t"])
def test_an_image_without_alt_text_is_refused_on_its_field_and_nothing_is_stored(app, alt):
    before = stored_files()
    with pytest.raises(Invalid) as err:
        store_images([slot(png(), "A red square", 1), slot(png(), alt, 2)], field="images", limit=5)
    assert err.value.field == "images-1-alt"
    assert "image 2" in err.value.message and "alt text" in err.value.message
    assert stored_files() == before  # not even the first, well-described image


def test_a_description_without_a_file_is_refused_on_the_file_field(app):
    with pytest.raises(Invalid) as err:
        store_images([slot(None, "The seal, up close", 3)], field="images", limit=5)
    assert err.value.field == "images-2-file" and "Image 3" in err.value.message


def test_alt_text_is_kept_with_its_white_space_tidied(app):
    stored = store_images([slot(png(), "  The drawer,\n open  ", 1), slot(None, "", 2)], field="images", limit=5)
    assert [s.alt for s in stored] == ["The drawer, open"]
    assert stored[0].filename in stored_files()


def test_too_long_alt_text_is_refused(app):
    with pytest.raises(Invalid) as err:
        store_images([slot(png(), "x" * (MAX_ALT_TEXT + 1), 1)], field="images", limit=5)
    assert err.value.field == "images-0-alt" and str(MAX_ALT_TEXT) in err.value.message
    assert store_images([slot(png(), "x" * MAX_ALT_TEXT, 1)], field="images", limit=5)[0].alt == "x" * MAX_ALT_TEXT


def test_a_bad_file_after_a_good_one_removes_the_good_one(app):
    before = stored_files(private=True)
    with pytest.raises(Invalid) as err:
        store_images([slot(png(), "Fine", 1), slot(not_an_image(), "A PDF", 2)], field="images", limit=5,
                     private=True)
    assert err.value.field == "images-1-file"
    assert stored_files(private=True) == before


def test_a_bare_stream_is_not_an_image_slot(app):
    with pytest.raises(TypeError):
        store_images([png()], field="images", limit=5)
