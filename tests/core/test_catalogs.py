"""The translation catalogs and the strings that feed them.

Every message the code and the templates send through gettext is translated in every
catalog, none fuzzy, with its placeholders and markup intact and the language's plural
forms; and no user-facing text is written outside gettext, in a template or in Python."""

from __future__ import annotations

import ast
import io
import re
from functools import cache
from gettext import GNUTranslations, c2py
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "ideas" / "translations"
TRANSLATED = ["cs", "ru", "zh"]  # and English, the source
PLURAL_FORMS = {"cs": 3, "ru": 3, "zh": 1}
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}
SOURCES = [("python", "ideas/**/*.py"), ("jinja2", "templates/**/*.html"), ("jinja2", "templates/**/*.txt")]
PLACEHOLDER = re.compile(r"%\((\w+)\)([-+ #0]*\d*(?:\.\d+)?[sdirf])|%%")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


@cache
def extracted() -> dict[str | tuple[str, str], list[str]]:
    """msgid (or (singular, plural)) -> where it is used, read from the sources as
    `make messages` reads them (babel.cfg)."""
    found: dict = {}
    for method, pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            for lineno, message, _comments, _context in extract_from_file(
                    method, str(path), keywords=KEYWORDS, strip_comment_tags=True):
                key = message if isinstance(message, str) else tuple(message[:2])
                if key and key != ("", ""):
                    found.setdefault(key, []).append(f"{path.relative_to(ROOT)}:{lineno}")
    return found


@cache
def catalog(code: str):
    path = CATALOGS / code / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        return read_po(f, locale=code)


def test_extraction_finds_the_interface():
    messages = extracted()
    assert len(messages) > 1000
    assert "Log in" in messages
    assert ("%(num)d idea", "%(num)d ideas") in messages
    # the plain-text mails are read too
    assert any(where.endswith(".txt:7") or ".txt:" in where for wheres in messages.values() for where in wheres)


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_has_the_languages_plural_rule(code):
    cat = catalog(code)
    assert cat.num_plurals == PLURAL_FORMS[code]
    if code in ("cs", "ru"):
        plural = c2py(cat.plural_expr)
        forms = [plural(n) for n in (1, 2, 4, 5, 11, 21, 22, 25)]
        expected = {"cs": [0, 1, 1, 2, 2, 2, 2, 2], "ru": [0, 1, 1, 2, 2, 0, 1, 2]}[code]
        assert forms == expected


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_translates_every_message(code):
    cat = catalog(code)
    missing, fuzzy, empty = [], [], []
    for key, wheres in extracted().items():
        message = cat.get(key if isinstance(key, str) else key[0])
        if message is None:
            missing.append(f"{key!r} ({wheres[0]})")
            continue
        if message.fuzzy:
            fuzzy.append(f"{key!r} ({wheres[0]})")
        forms = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if isinstance(key, tuple) and (not isinstance(message.string, (list, tuple)) or len(forms) != cat.num_plurals):
            empty.append(f"{key!r}: needs {cat.num_plurals} plural forms ({wheres[0]})")
        elif not all(form.strip() for form in forms):
            empty.append(f"{key!r} ({wheres[0]})")
    assert not missing, f"{len(missing)} messages missing from {code}; run `make messages`: " + "; ".join(missing[:15])
    assert not fuzzy, f"{len(fuzzy)} fuzzy messages in {code}: " + "; ".join(fuzzy[:15])
    assert not empty, f"{len(empty)} untranslated messages in {code}: " + "; ".join(empty[:15])


def _placeholders(text: str) -> set[tuple[str, str]]:
    return {m.groups() for m in PLACEHOLDER.finditer(text) if m.group(1)}


def _tags(text: str) -> list[str]:
    return sorted(m.group(0) if m.group(0).startswith("</") else m.group(1) for m in TAG.finditer(text))


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_and_markup_survive_translation(code):
    wrong = []
    for message in catalog(code):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        forms = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        # a plural form may speak of the count in words only where the English does too
        wanted = set().union(*(_placeholders(i) for i in ids))
        for form in forms:
            if not form:
                continue
            if _placeholders(form) != wanted:
                wrong.append(f"{ids[0]!r}: {form!r} has {sorted(_placeholders(form))}, wants {sorted(wanted)}")
            if _tags(form) != _tags(ids[-1]):
                wrong.append(f"{ids[0]!r}: {form!r} changes the markup")
    assert not wrong, f"{len(wrong)} broken translations in {code}: " + "; ".join(wrong[:10])


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_compiles_and_formats(code):
    """The compiled catalog loads in gettext, and every translation formats with the
    values the code passes (a '%(name)s' typo would raise KeyError at runtime)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog(code))
    buffer.seek(0)
    translations = GNUTranslations(buffer)
    for message in catalog(code):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        values = {name: (3 if kind[-1] in "dif" else "x") for name, kind in _placeholders(ids[0]) | _placeholders(ids[-1])}
        values.setdefault("num", 3)
        if isinstance(message.id, (list, tuple)):
            for n in (1, 2, 5):
                translations.ngettext(ids[0], ids[1], n) % {**values, "num": n}
        else:
            translations.gettext(ids[0]) % values if values else translations.gettext(ids[0])


PLURALS = {
    "cs": ["1 nápad", "2 nápady", "5 nápadů", "22 nápadů"],  # Czech: only 2–4 themselves take "nápady"
    "ru": ["1 идея", "2 идеи", "5 идей", "21 идея"],
    "zh": ["1 个创意", "2 个创意", "5 个创意", "21 个创意"],
}


@pytest.mark.parametrize("code", TRANSLATED)
def test_plural_forms_read_right(app, code):
    """The issue's examples, through the running app's own gettext."""
    render = app.jinja_env.from_string('{{ ngettext("%(num)d idea", "%(num)d ideas", n) }}').render
    with app.test_request_context("/", headers={"Accept-Language": code}):
        got = [render(n=n) for n in (1, 2, 5, 21 if code != "cs" else 22)]
    assert got == PLURALS[code]


# -- strings outside gettext ------------------------------------------------------

TEXT_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "aria-description", "data-confirm", "label",
                   "aria-roledescription", "aria-valuetext"}
WORDS = re.compile(r"[^\W\d_]{2,}")  # two letters in a row, any script
JINJA = Environment(extensions=["jinja2.ext.i18n"])
# Words that are the same in every language we speak (brand, units and symbols).
NEUTRAL = re.compile(r"^(MB|KB|px|SVG|CSV|RSS|OK|ID|vs)$")


class _TextFinder(HTMLParser):
    """Literal text nodes and text attributes of a template with its Jinja parts
    replaced by a marker."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if value and name in TEXT_ATTRIBUTES and _wordy(value):
                self.found.append(f'{tag} {name}="{value}"')
            if value and name == "value" and tag == "input" and attributes.get("type") in ("submit", "button") \
                    and _wordy(value):
                self.found.append(f'{tag} value="{value}"')

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip and _wordy(data):
            self.found.append(data.strip())


def _wordy(text: str) -> bool:
    return any(not NEUTRAL.match(word) for word in WORDS.findall(text.replace("\x00", " ")))


def _literal_text(source: str) -> list[str]:
    parts = []
    for _lineno, kind, value in JINJA.lex(source):
        if kind == "data":
            parts.append(value)
        elif kind in ("variable_begin", "block_begin"):
            parts.append("\x00")
    finder = _TextFinder()
    finder.feed(re.sub(r"(</?[a-zA-Z]+)\x00", r"\1", "".join(parts)))  # <h{{ level }}> is a heading
    return finder.found


def test_no_template_text_outside_gettext():
    offenders = []
    for pattern in ("templates/**/*.html", "templates/**/*.txt"):
        for path in sorted(ROOT.glob(pattern)):
            for text in _literal_text(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(ROOT)}: {text[:70]!r}")
    assert not offenders, "text outside gettext in templates: " + "; ".join(offenders[:20])


def test_the_template_check_catches_what_it_should():
    found = _literal_text('<p>{{ _("Fine") }}</p><button title="Close it">{{ icon("x") }}</button>'
                          '<h2>Ideas</h2><input type="hidden" name="next" value="ranking">'
                          '<input type="submit" value="Send"><script>let a = "words here";</script>'
                          '{# a comment with words #}<span>{{ n }} · MB</span>')
    assert found == ['button title="Close it"', "Ideas", 'input value="Send"']


# Calls whose literal string argument (or keyword) a member reads.
MESSAGE_CALLS = {"flash", "Invalid", "NotAllowed", "NotFound", "Conflict", "InvalidTransition", "DomainError",
                 "ValidationError", "abort"}
MESSAGE_KEYWORDS = {"message", "label", "description", "placeholder", "title"}
# Content, not interface: the demo's challenges and ideas are written in their own languages.
PYTHON_EXEMPT = ("ideas/demo/",)
# Operators' command-line output stays English, as Flask's own does.
PYTHON_EXEMPT_FILES = ("commands.py",)


def _literal(node) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORDS.search(node.value)) and " " in node.value.strip() or node.value[:1].isupper()
    return isinstance(node, ast.JoinedStr) and any(
        isinstance(v, ast.Constant) and WORDS.search(str(v.value)) for v in node.values)


def _python_offenders(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if called in MESSAGE_CALLS or called.endswith("Field"):
            args = node.args[1:2] if called == "abort" else node.args[:1]
            found += [f"{name}:{node.lineno} {called}({ast.unparse(a)[:60]})" for a in args if _literal(a)]
        for keyword in node.keywords:
            if keyword.arg in MESSAGE_KEYWORDS and _literal(keyword.value):
                found.append(f"{name}:{node.lineno} {called}({keyword.arg}={ast.unparse(keyword.value)[:60]})")
    return found


def test_no_python_message_outside_gettext():
    offenders = []
    for path in sorted((ROOT / "ideas").rglob("*.py")):
        name = str(path.relative_to(ROOT))
        if not name.startswith(PYTHON_EXEMPT) and path.name not in PYTHON_EXEMPT_FILES:
            offenders += _python_offenders(path.read_text(encoding="utf-8"), name)
    assert not offenders, "messages outside gettext: " + "; ".join(offenders[:20])


def test_the_python_check_catches_what_it_should():
    source = '''
flash("Saved the idea.", "success")
flash(_("Saved."), "success")
raise Invalid(f"Bad value {x}", field="title")
raise Invalid(_("Bad value"), field="title")
title = StringField("Title", validators=[Length(max=5, message="Too long here")])
ok = StringField(_l("Title"))
abort(404)
abort(400, "No such thing here")
'''
    found = sorted(line.split(" ", 1)[1] for line in _python_offenders(source, "x.py"))
    assert found == sorted(["flash('Saved the idea.')", "Invalid(f'Bad value {x}')", "StringField('Title')",
                     "Length(message='Too long here')", "abort('No such thing here')"])
