"""The image slots of a form: a file and its alt text per image, up to a limit.

One slot per image (rather than one multi-file input) so that each picture is paired
with its own description; the template macro `image_fields` (_macros/forms.html) shows
them, and `image_uploads` turns what was sent into `core.uploads.ImageUpload`s, which
`store_images` checks (an image without alt text is refused on that slot's field).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import FieldList, Form, FormField, StringField
from wtforms.validators import Length, Optional

from ideas.core.uploads import MAX_ALT_TEXT, ImageUpload


class ImageSlotForm(Form):
    """One image and its description (a sub-form: the page's form carries the CSRF token)."""

    file = FileField(_l("File"), render_kw={"accept": "image/*"})
    # Length is checked by the service too; here it keeps a pasted essay from the database.
    alt = StringField(_l("Description (alt text)"), validators=[Optional(), Length(max=MAX_ALT_TEXT)],
                      render_kw={"maxlength": MAX_ALT_TEXT})


def image_slots(label, count: int, description=None) -> FieldList:
    """A form field of `count` image slots."""
    return FieldList(FormField(ImageSlotForm), label=label, min_entries=count, max_entries=count,
                     description=description or "")


def image_uploads(field: FieldList) -> list[ImageUpload]:
    """The slots that were used (a file chosen or a description typed), in order."""
    uploads = []
    for number, slot in enumerate(field.entries, start=1):
        data = slot.form.file.data
        stream = data.stream if data is not None and getattr(data, "filename", "") else None
        alt = slot.form.alt.data or ""
        if stream is None and not alt.strip():
            continue
        uploads.append(ImageUpload(stream, alt, number, file_field=slot.form.file.name,
                                   alt_field=slot.form.alt.name))
    return uploads
