"""Image uploads: checked and re-encoded with Pillow, stored under random names.

Only decoded pixels are kept: the upload is opened, verified, size- and
pixel-checked, then saved anew (metadata and anything hidden after the image data
are dropped). Files live under UPLOAD_FOLDER and are served by `core.views`.

Every image a member uploads with their content (an idea's pictures, a focus group's
attachments, a prototype's iteration and feedback images) comes with its alt text, the
words that stand in for it for people who cannot see it (WCAG 1.1.1): `store_images`
refuses an image without one, before anything is stored.
"""

from __future__ import annotations

import io
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from ideas.core.errors import Invalid

ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
THUMBNAIL_SIZE = (192, 144)  # 4:3, twice the list row's 96x72 for sharp screens
_STORED_NAME = re.compile(r"[A-Za-z0-9_-]{24}\.webp")  # what store_image names files

MAX_ALT_TEXT = 300  # characters: a sentence or two; longer explanations belong in the text


@dataclass(frozen=True)
class StoredImage:
    filename: str
    width: int
    height: int
    alt: str = ""


@dataclass(frozen=True)
class ImageUpload:
    """One image slot of a form: the file (None when left empty) and the alt text typed
    for it; `number` counts the slots from 1 and the field names say where a refusal is
    shown (see core/image_fields.py)."""

    stream: object | None
    alt: str = ""
    number: int = 1
    file_field: str = "images"
    alt_field: str = "images"

PRIVATE_SUBDIR = "private"


def upload_dir(private: bool = False) -> Path:
    """Where images are stored; private ones (focus groups, group-only prototypes) in a
    folder the public /uploads route cannot reach: their module serves them after its
    policy allows it."""
    path = Path(current_app.config["UPLOAD_FOLDER"])
    if private:
        path = path / PRIVATE_SUBDIR
    path.mkdir(parents=True, exist_ok=True)
    return path

def store_image(stream, *, field: str, max_side: int = 2048, private: bool = False) -> StoredImage:
    """Check an uploaded image and store a re-encoded copy; raises Invalid naming `field`.

    Refuses what is not a JPEG, PNG, GIF or WebP picture, what is larger than
    UPLOAD_MAX_BYTES or UPLOAD_MAX_PIXELS, and images Pillow cannot decode.
    """
    max_bytes = current_app.config["UPLOAD_MAX_BYTES"]
    max_pixels = current_app.config["UPLOAD_MAX_PIXELS"]
    data = stream.read(max_bytes + 1)
    if not data:
        raise Invalid(_("The file is empty."), field=field)
    if len(data) > max_bytes:
        raise Invalid(
            _("The image is too big (at most %(mb)s MB).", mb=max_bytes // (1024 * 1024)),
            field=field,
        )

    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Invalid(_("The file is not an image we can read."), field=field) from None
    if fmt not in ALLOWED_FORMATS:
        raise Invalid(_("Only JPEG, PNG, GIF and WebP images are accepted."), field=field)
    if width * height > max_pixels:
        raise Invalid(_("The image has too many pixels."), field=field)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_side, max_side))
            has_alpha = image.mode in ("RGBA", "LA", "P")
            image = image.convert("RGBA" if has_alpha else "RGB")
            name = secrets.token_urlsafe(18) + ".webp"
            image.save(upload_dir(private) / name, "WEBP", quality=85, method=4)
            return StoredImage(name, image.width, image.height)
    except (OSError, ValueError, Image.DecompressionBombError):
        raise Invalid(_("The file is not an image we can read."), field=field) from None

def clean_alt_text(upload: ImageUpload) -> str:
    """The upload's alt text, its white space collapsed; raises Invalid on its field when
    an image has none or it is too long, and on the file's field when a text has no image."""
    alt = " ".join(str(upload.alt or "").split())
    if upload.stream is None:
        if alt:
            raise Invalid(_("Image %(n)d has a description but no file: choose the file, or clear the "
                            "description.", n=upload.number), field=upload.file_field)
        return ""
    if not alt:
        raise Invalid(_("Describe image %(n)d for people who cannot see it: its description (alt text) "
                        "is required.", n=upload.number), field=upload.alt_field)
    if len(alt) > MAX_ALT_TEXT:
        raise Invalid(_("The description of image %(n)d is too long (at most %(max)d characters).",
                        n=upload.number, max=MAX_ALT_TEXT), field=upload.alt_field)
    return alt


def store_images(uploads, *, field: str, limit: int, private: bool = False) -> list[StoredImage]:
    """Check and store every image of a form's image slots (ImageUpload), or none.

    Each image needs its alt text (`clean_alt_text`); more than `limit` images are
    refused. Every text is checked before any file is stored, and a refused file
    removes the ones stored before it, so a refusal leaves nothing behind."""
    uploads = list(uploads or [])
    for upload in uploads:
        if not isinstance(upload, ImageUpload):
            raise TypeError(f"store_images takes ImageUpload slots, not {type(upload).__name__}")
    texts = [clean_alt_text(u) for u in uploads]
    chosen = [(u, alt) for u, alt in zip(uploads, texts, strict=True) if u.stream is not None]
    if len(chosen) > limit:
        raise Invalid(ngettext("Attach at most %(num)d image.", "Attach at most %(num)d images.", limit), field=field)
    stored = []
    try:
        for upload, alt in chosen:
            image = store_image(upload.stream, field=upload.file_field, private=private)
            stored.append(StoredImage(image.filename, image.width, image.height, alt))
    except Invalid:
        for image in stored:
            delete_image(image.filename, private=private)
        raise
    return stored


def delete_image(filename: str | None, private: bool = False) -> None:
    """Remove a stored image; missing files are ignored."""
    if filename and "/" not in filename and not filename.startswith("."):
        (upload_dir(private) / filename).unlink(missing_ok=True)
        if not private:
            (upload_dir() / "thumbs" / filename).unlink(missing_ok=True)


def thumbnail_path(filename: str) -> Path | None:
    """A small copy of a stored public image (cropped to THUMBNAIL_SIZE), made on first
    use and kept beside the uploads; None for a name store_image did not give or a
    missing file (private images, kept apart, have none)."""
    if not _STORED_NAME.fullmatch(filename or ""):
        return None
    source = upload_dir() / filename
    if not source.is_file():
        return None
    folder = upload_dir() / "thumbs"
    target = folder / filename
    if target.is_file():
        return target
    folder.mkdir(exist_ok=True)
    with Image.open(source) as image:
        small = ImageOps.fit(image.convert("RGB"), THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    partial = folder / f".{filename}.{secrets.token_hex(4)}"
    small.save(partial, "WEBP", quality=80, method=4)
    os.replace(partial, target)  # two requests at once both write; either file is right
    return target
