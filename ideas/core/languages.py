"""The language of a piece of content (an idea, a challenge): detected, checked, named.

Content is not translated; each idea and challenge records the language it is written
in, so that pages can say so (a badge, and `lang="…"` on the text for screen readers,
hyphenation and fonts) and lists can be filtered by it.

The codes are ISO 639-1. Our community writes in the interface's four languages (en,
cs, ru, zh); the detector also knows the languages most easily mistaken for them
(Slovak and Polish for Czech, Ukrainian for Russian, and German, the other language of
Central Europe), so a Slovak idea is recorded as Slovak rather than passing for Czech.
`und` ("undetermined", BCP 47) is a text with no letters to go by, or what the author
chooses for any other language; pages mark such text `lang=""` (unknown).

Detection: lingua-language-detector (pinned), restricted to those eight languages,
in its high-accuracy mode. Of 87 short titles and sentences in the eight languages it
placed 85 right (py3langid, 82; both restricted alike): one Czech sentence typed
without diacritics read as Slovak, one Slovak one as Czech. Its models load on first
use, per script (about a second and 100 MB for the Latin languages, less for
Cyrillic; Chinese is told by its script alone); `preload()` loads them all at once
(about 3 s and 300 MB), which `LANGUAGE_MODELS_AT_START` does in create_app so that
gunicorn --preload workers share them. A call then takes 0.2 ms on a title; only the
first MAX_DETECT characters are read (0.7 ms).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from ideas.core.errors import Invalid

COMMUNITY = ("en", "cs", "ru", "zh")  # the interface's languages, listed first
NEIGHBOURS = ("sk", "pl", "uk", "de")  # detected so as not to be mistaken for the four
UNKNOWN = "und"
CODES = (*COMMUNITY, *NEIGHBOURS)
STORED = (*CODES, UNKNOWN)  # what a language column may hold
AUTO = ""  # the form's "Detect automatically"
MAX_DETECT = 1000  # characters read: enough to decide, and the time stays under a millisecond

_lock = threading.Lock()
_detector = None
_by_name: dict[str, str] = {}


def _build(preloaded: bool = False):
    from lingua import Language, LanguageDetectorBuilder

    names = {"en": "ENGLISH", "cs": "CZECH", "ru": "RUSSIAN", "zh": "CHINESE", "sk": "SLOVAK",
             "pl": "POLISH", "uk": "UKRAINIAN", "de": "GERMAN"}
    languages = [getattr(Language, names[code]) for code in CODES]
    _by_name.update({getattr(Language, name).name: code for code, name in names.items()})
    builder = LanguageDetectorBuilder.from_languages(*languages)
    if preloaded:
        builder = builder.with_preloaded_language_models()
    return builder.build()


def _get_detector():
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                _detector = _build()
    return _detector


def preload() -> None:
    """Load every language model now (about 3 s), not on the first text of each script."""
    global _detector
    with _lock:
        _detector = _build(preloaded=True)


def detect(text: str) -> str:
    """The language `text` is written in: one of CODES, or UNKNOWN when it has no
    letters to go by (digits, punctuation, nothing)."""
    sample = (text or "").strip()[:MAX_DETECT]
    if not any(ch.isalpha() for ch in sample):
        return UNKNOWN
    found = _get_detector().detect_language_of(sample)
    return _by_name.get(found.name, UNKNOWN) if found is not None else UNKNOWN


def content_text(*parts: str) -> str:
    """The parts of a piece of content that tell its language, title first."""
    return "\n".join(p for p in parts if p)


def resolve(choice: str | None, text: str) -> str:
    """The language to store: the author's choice, or AUTO (empty) for the detected
    one. Anything but a stored code is refused naming the field."""
    choice = (choice or "").strip()
    if choice == AUTO:
        return detect(text)
    return check(choice)


def check(code: str | None) -> str:
    """A stored language code, or Invalid(field="language")."""
    if code not in STORED:
        raise Invalid(_("Choose the language from the list."), field="language")
    return code


@lru_cache(maxsize=64)
def _names(code: str, locale: str) -> tuple[str, str]:
    """(the language's name in itself, capitalized as a label; its name in `locale`)."""
    if code == UNKNOWN:
        return "", ""
    lang = Locale.parse(code)
    native = lang.get_display_name(code) or code
    local = lang.get_display_name(locale) or native
    return native[:1].upper() + native[1:], local  # the local name as CLDR writes it mid-sentence


def native_name(code: str) -> str:
    """The language's name written in that language ("Čeština", "Русский", "中文")."""
    return _names(code, "en")[0] if code in CODES else _("Another language")


def local_name(code: str, locale: str) -> str:
    """The language's name in the reader's language ("Czech" in English)."""
    return _names(code, locale)[1] if code in CODES else _("Another language")


def choices(*, auto: bool = True) -> list[SelectChoice]:
    """The options of a Language select: "Detect automatically", each language by its
    own name (marked `lang` for screen readers), "Another language"."""
    out = [SelectChoice(AUTO, _("Detect automatically"))] if auto else []
    out.extend(SelectChoice(code, native_name(code), {"lang": code}) for code in CODES)
    out.append(SelectChoice(UNKNOWN, _("Another language")))
    return out


FILTER_ARG = "lang"


def filter_arg(name: str = FILTER_ARG) -> str | None:
    """The language a list is filtered by (`?lang=cs`); anything unknown is no filter,
    as lists treat their other unknown filters."""
    from flask import request

    value = request.args.get(name) or None
    return value if value in STORED else None


@dataclass(frozen=True)
class FilterOption:
    code: str
    name: str  # in the language itself
    count: int
    selected: bool


def filter_options(counts: dict[str, int], selected: str | None) -> list[FilterOption]:
    """A language filter's options from what the reader can see in each language (most
    first, then by code); the selected one is kept even when nothing is left in it.
    Empty when there is nothing to choose between."""
    if len(counts) < 2 and not selected:
        return []
    shown = dict(counts)
    if selected and selected not in shown:
        shown[selected] = 0
    order = sorted(shown, key=lambda code: (-shown[code], STORED.index(code) if code in STORED else 99, code))
    return [FilterOption(code, native_name(code), shown[code], code == selected) for code in order]


class LanguageField(SelectField):
    """A Language select: "Detect automatically" (the default), or one of STORED;
    anything else is a field error ("Not a valid choice"), and nothing is saved."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label or _l("Language"), choices=choices, default=AUTO, **kwargs)


def _base(locale: str) -> str:
    return locale.split("_")[0].split("-")[0]


def lang_attr(code: str | None, locale: str) -> Markup:
    """` lang="xx"` for content in `code` shown to a reader of `locale`, when they differ
    (`lang=""` for an unknown language); nothing when they agree or the code is missing."""
    if not code or code == _base(locale):
        return Markup("")
    if code == UNKNOWN:
        return Markup(' lang=""')
    if code not in CODES:
        return Markup("")
    return Markup(' lang="%s"') % code


def badge(code: str | None, locale: str) -> Markup:
    """A small badge with the language's own name (marked in that language) and, for
    screen readers, "Language: Czech" in the reader's language."""
    if not code:
        return Markup("")
    if code == UNKNOWN:
        label = _("Another language")
        return Markup('<span class="badge rounded-pill text-bg-light border fw-normal content-lang">%s</span>') % label
    said = _("Language: %(name)s", name=local_name(code, locale))
    return Markup('<span class="badge rounded-pill text-bg-light border fw-normal content-lang" title="%s">'
                  '<span class="visually-hidden">%s</span><span aria-hidden="true" lang="%s">%s</span></span>') % (
        said, said, code, native_name(code))



# What tells each table's rows' language, title first (the migration that added the
# columns and `flask languages detect` fill them from these).
TEXT_COLUMNS = {"ideas": ("title", "summary", "description"), "challenges": ("title", "summary", "problem")}


def backfill(connection, *, batch: int = 500) -> dict[str, int]:
    """Detect and store the language of every row whose language is not recorded
    (NULL), a batch at a time, by table name (no models: migrations call it too).
    Returns how many rows of each table were filled."""
    import sqlalchemy as sa

    filled: dict[str, int] = {}
    for name, columns in TEXT_COLUMNS.items():
        table = sa.table(name, sa.column("id"), sa.column("language"), *(sa.column(c) for c in columns))
        update = (table.update().where(table.c.id == sa.bindparam("row_id"))
                  .values(language=sa.bindparam("detected")))
        last, count = 0, 0
        while True:
            rows = connection.execute(
                sa.select(table.c.id, *(table.c[c] for c in columns))
                .where(table.c.language.is_(None), table.c.id > last).order_by(table.c.id).limit(batch)).all()
            if not rows:
                break
            connection.execute(update, [{"row_id": row[0], "detected": detect(content_text(*row[1:]))}
                                        for row in rows])
            last, count = rows[-1][0], count + len(rows)
        filled[name] = count
    return filled
