"""Pictures for the demo, drawn with Pillow when the demo loads: challenge covers (flat
illustrations of three challenges' products; the other three show generated covers),
concept sketches for some ideas, and portraits for some members. Nothing is downloaded
or shipped; every picture goes through the app's own upload path
(core.uploads.store_image), as a member's would.

Each drawing is made at twice its size and scaled down, which smooths its edges.
The same demo always gets the same pictures (a fixed random seed per picture).
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter

from ideas.core.uploads import store_image

COVER = (1200, 525)  # 16:7, like the cards
SKETCH = (960, 640)
AVATAR = (256, 256)
S = 2  # drawing scale

INDIGO, INDIGO_DARK, INDIGO_LIGHT = "#4338ca", "#312e81", "#c7d2fe"
AMBER, TEAL, ROSE, SLATE, WHITE = "#f59e0b", "#0f766e", "#e11d48", "#334155", "#ffffff"


def _canvas(size, top, bottom) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A vertical gradient from `top` to `bottom`, at drawing scale."""
    w, h = size[0] * S, size[1] * S
    strip = Image.linear_gradient("L").resize((1, h))
    image = Image.composite(Image.new("RGB", (1, h), bottom), Image.new("RGB", (1, h), top), strip)
    image = image.resize((w, h))
    return image, ImageDraw.Draw(image)


def _finish(image: Image.Image, size) -> io.BytesIO:
    out = io.BytesIO()
    image.resize(size, Image.Resampling.LANCZOS).save(out, "PNG")
    out.seek(0)
    return out


def _box(x0, y0, x1, y1):
    return [x0 * S, y0 * S, x1 * S, y1 * S]


def _circle(draw, cx, cy, r, **kw):
    draw.ellipse(_box(cx - r, cy - r, cx + r, cy + r), **kw)


# -- challenge covers ----------------------------------------------------------------

def _cover_washer(rng):
    image, d = _canvas(COVER, "#e0e7ff", "#a5b4fc")
    for _ in range(18):  # soap bubbles
        _circle(d, rng.randint(0, 1200), rng.randint(60, 420), rng.randint(8, 36),
                outline=WHITE, width=3 * S)
    d.rectangle(_box(0, 425, 1200, 525), fill="#818cf8")
    d.rounded_rectangle(_box(455, 105, 745, 430), radius=24 * S, fill=WHITE, outline=INDIGO_DARK, width=4 * S)
    d.rectangle(_box(457, 109, 743, 160), fill="#eef2ff")
    for k in range(3):
        _circle(d, 495 + k * 36, 134, 11, fill=[AMBER, INDIGO, TEAL][k])
    d.rounded_rectangle(_box(630, 125, 720, 143), radius=7 * S, fill=INDIGO_DARK)
    _circle(d, 600, 290, 100, fill="#cbd5e1", outline=SLATE, width=5 * S)
    _circle(d, 600, 290, 76, fill="#38bdf8")
    d.chord(_box(524, 214, 676, 366), 10, 170, fill="#0ea5e9")
    for k in range(5):  # the fresh air the challenge is about
        x = 800 + k * 60
        d.arc(_box(x, 200, x + 50, 280), 200, 340, fill=WHITE, width=6 * S)
    return image


def _cover_busstop(rng):
    image, d = _canvas(COVER, "#fef3c7", "#fcd34d")
    for x in range(0, 1200, 90):  # hills
        h = rng.randint(60, 140)
        d.ellipse(_box(x - 80, 420 - h, x + 160, 420 + h), fill="#86efac")
    d.rectangle(_box(0, 420, 1200, 525), fill="#475569")
    d.rectangle(_box(0, 468, 1200, 474), fill="#fde68a")
    d.rectangle(_box(380, 170, 700, 190), fill=INDIGO_DARK)  # shelter roof
    for x in (395, 675):
        d.rectangle(_box(x, 190, x + 12, 420), fill=SLATE)
    d.rectangle(_box(420, 220, 540, 320), fill=WHITE, outline=SLATE, width=3 * S)  # e-ink board
    for k in range(4):
        d.rectangle(_box(432, 236 + k * 20, 432 + rng.randint(50, 95), 246 + k * 20), fill=SLATE)
    d.rectangle(_box(800, 150, 810, 420), fill=SLATE)  # the stop's sign
    _circle(d, 805, 150, 36, fill=TEAL, outline=WHITE, width=5 * S)
    for r in (60, 95, 130):  # signal
        d.arc(_box(805 - r, 150 - r, 805 + r, 150 + r), 300, 345, fill=INDIGO, width=7 * S)
        d.arc(_box(805 - r, 150 - r, 805 + r, 150 + r), 195, 240, fill=INDIGO, width=7 * S)
    d.rounded_rectangle(_box(60, 300, 330, 420), radius=22 * S, fill=AMBER, outline="#b45309", width=3 * S)
    for k in range(4):
        d.rectangle(_box(80 + k * 60, 320, 125 + k * 60, 360), fill="#e0f2fe")
    for x in (110, 280):
        _circle(d, x, 420, 24, fill=SLATE)
    return image


def _cover_dishwasher(rng):
    image, d = _canvas(COVER, "#ccfbf1", "#5eead4")
    d.rectangle(_box(0, 430, 1200, 525), fill="#0f766e")
    d.rectangle(_box(120, 120, 620, 140), fill="#134e4a")  # counter top
    d.rectangle(_box(140, 140, 600, 430), fill="#f1f5f9", outline=SLATE, width=4 * S)
    d.rectangle(_box(170, 160, 570, 200), fill="#e2e8f0")
    d.rounded_rectangle(_box(300, 172, 440, 186), radius=6 * S, fill=SLATE)
    _circle(d, 530, 180, 8, fill="#22c55e")
    for k in range(3):  # faint, crossed-out noise
        r = 40 + k * 30
        d.arc(_box(600 - r, 290 - r, 600 + r, 290 + r), 320, 40, fill="#99f6e4", width=5 * S)
    d.line(_box(640, 230, 700, 350), fill=ROSE, width=7 * S)
    d.rounded_rectangle(_box(760, 300, 1120, 430), radius=30 * S, fill=INDIGO)  # the sofa
    d.rounded_rectangle(_box(790, 240, 1090, 330), radius=30 * S, fill="#6366f1")
    for x in (760, 1080):
        d.rounded_rectangle(_box(x, 280, x + 40, 430), radius=16 * S, fill=INDIGO_DARK)
    _circle(d, 900, 200, 34, fill="#fde68a")  # someone on it, at peace
    d.rounded_rectangle(_box(870, 232, 930, 300), radius=20 * S, fill=AMBER)
    for k, x in enumerate((960, 1000, 1040)):
        d.text((x * S, (150 - k * 30) * S), "z", fill=INDIGO_DARK, font_size=(26 + k * 8) * S)
    return image


COVERS: dict[str, Callable] = {
    "washer": _cover_washer, "busstop": _cover_busstop, "dishwasher": _cover_dishwasher,
}  # the scooter, fridge and train challenges show generated covers (challenges/covers.py)


# -- concept sketches for ideas -------------------------------------------------------

def _paper(rng):
    """Blueprint paper: deep blue with a fine grid."""
    image, d = _canvas(SKETCH, "#1e3a8a", "#1e40af")
    for x in range(0, SKETCH[0], 32):
        d.line(_box(x, 0, x, SKETCH[1]), fill="#2b4fb0", width=S)
    for y in range(0, SKETCH[1], 32):
        d.line(_box(0, y, SKETCH[0], y), fill="#2b4fb0", width=S)
    return image, d


LINE = {"fill": "#e0f2fe", "width": 5 * S}


def _arrow(d, x0, y0, x1, y1):
    d.line(_box(x0, y0, x1, y1), **LINE)
    angle = math.atan2(y1 - y0, x1 - x0)
    for turn in (2.6, -2.6):
        d.line(_box(x1, y1, x1 + 22 * math.cos(angle + turn), y1 + 22 * math.sin(angle + turn)), **LINE)


def _sketch_door(rng):
    image, d = _paper(rng)
    _circle(d, 420, 320, 200, outline="#e0f2fe", width=6 * S)
    _circle(d, 420, 320, 150, outline="#93c5fd", width=4 * S)
    _circle(d, 420, 320, 176, outline=AMBER, width=10 * S)  # the seal
    for k in range(4):
        _arrow(d, 700, 180 + k * 90, 610, 200 + k * 80)
    d.rectangle(_box(720, 150, 860, 470), outline="#e0f2fe", width=4 * S)
    for k in range(5):
        d.line(_box(740, 180 + k * 60, 840, 180 + k * 60), fill="#fca5a5", width=4 * S)
    return image


def _sketch_sensor(rng):
    image, d = _paper(rng)
    d.rounded_rectangle(_box(300, 220, 560, 440), radius=24 * S, outline="#e0f2fe", width=6 * S)
    _circle(d, 430, 300, 40, outline=AMBER, width=6 * S)
    d.rectangle(_box(340, 380, 520, 400), fill="#93c5fd")
    for r in (80, 130, 180):
        d.arc(_box(430 - r, 300 - r, 430 + r, 300 + r), 200, 340, fill="#a7f3d0", width=5 * S)
    for k in range(6):  # the cleaning schedule it sets
        x = 640 + k * 42
        h = rng.randint(40, 200)
        d.rectangle(_box(x, 470 - h, x + 26, 470), outline="#e0f2fe", width=3 * S)
    return image


def _sketch_board(rng):
    image, d = _paper(rng)
    d.rectangle(_box(220, 160, 640, 420), outline="#e0f2fe", width=6 * S)
    for k in range(5):
        d.rectangle(_box(250, 190 + k * 44, 250 + rng.randint(160, 340), 212 + k * 44), fill="#bfdbfe")
    d.line(_box(430, 420, 430, 560), **LINE)
    _circle(d, 760, 160, 56, outline=AMBER, width=6 * S)  # the sun that powers it
    for k in range(8):
        a = k * math.pi / 4
        d.line(_box(760 + 75 * math.cos(a), 160 + 75 * math.sin(a),
                    760 + 105 * math.cos(a), 160 + 105 * math.sin(a)), fill=AMBER, width=5 * S)
    d.polygon([(660 * S, 400 * S), (860 * S, 340 * S), (880 * S, 400 * S), (680 * S, 460 * S)],
              outline="#e0f2fe", width=4 * S)
    return image


def _sketch_pump(rng):
    image, d = _paper(rng)
    d.rectangle(_box(140, 120, 820, 140), fill="#93c5fd")  # the frame it hangs from
    for x in (330, 630):  # springs
        points = [(x + (18 if k % 2 else -18), 140 + k * 16) for k in range(11)]
        d.line([(px * S, py * S) for px, py in points], **LINE)
    d.rounded_rectangle(_box(280, 300, 680, 460), radius=40 * S, outline="#e0f2fe", width=6 * S)
    _circle(d, 480, 380, 50, outline=AMBER, width=6 * S)
    for k in range(3):  # vibration, stopped at the springs
        d.arc(_box(700 + k * 30, 320, 780 + k * 30, 440), 300, 60, fill="#fca5a5", width=4 * S)
    return image


def _sketch_train(rng):
    image, d = _paper(rng)
    for x0 in (60, 500):
        d.rounded_rectangle(_box(x0, 300, x0 + 400, 460), radius=30 * S, outline="#e0f2fe", width=6 * S)
        for k in range(4):
            d.rectangle(_box(x0 + 30 + k * 90, 330, x0 + 90 + k * 90, 380), outline="#93c5fd", width=3 * S)
        for wx in (x0 + 80, x0 + 320):
            _circle(d, wx, 470, 24, outline="#e0f2fe", width=5 * S)
    for ax in (300, 740):  # the two antennas, a carriage apart
        d.line(_box(ax, 300, ax, 230), fill=AMBER, width=7 * S)
        for r in (40, 75):
            d.arc(_box(ax - r, 230 - r, ax + r, 230 + r), 220, 320, fill=AMBER, width=4 * S)
    _arrow(d, 330, 170, 710, 170)
    _arrow(d, 710, 170, 330, 170)
    return image


def _sketch_curve(rng):
    image, d = _paper(rng)
    d.line(_box(140, 520, 840, 520), **LINE)
    d.line(_box(140, 520, 140, 100), **LINE)
    soft = [(140 + x, 520 - 360 * (1 - math.exp(-x / 260))) for x in range(0, 700, 10)]
    hard = [(140 + x, 520 - 360 * min(1, x / 90)) for x in range(0, 700, 10)]
    d.line([(x * S, y * S) for x, y in hard], fill="#fca5a5", width=4 * S)
    d.line([(x * S, y * S) for x, y in soft], fill=AMBER, width=8 * S)
    for k in range(10):  # the first ten rides
        _circle(d, 180 + k * 60, 560, 9, fill="#a7f3d0")
    return image


def _sketch_map(rng):
    image, d = _paper(rng)
    for _ in range(9):  # streets
        if rng.random() < .5:
            y = rng.randint(60, 580)
            d.line(_box(0, y, 960, y + rng.randint(-80, 80)), fill="#93c5fd", width=8 * S)
        else:
            x = rng.randint(60, 900)
            d.line(_box(x, 0, x + rng.randint(-80, 80), 640), fill="#93c5fd", width=8 * S)
    for _ in range(6):  # hard-braking spots
        x, y = rng.randint(120, 840), rng.randint(100, 540)
        _circle(d, x, y, 44, fill=None, outline="#fca5a5", width=4 * S)
        _circle(d, x, y, 14, fill=ROSE)
    return image


# Each sketch with its alt text, written in the idea's own language as its author would
# (an uploaded image is refused without one: core/uploads.py).
SKETCHES: dict[str, list[tuple[Callable, str]]] = {
    "Тёплый обдув уплотнителя после стирки": [
        (_sketch_door, "Набросок: дверца стиральной машины спереди, уплотнитель выделен жёлтым; стрелки "
                       "показывают, как тёплый воздух из вентилятора справа обдувает его после стирки.")],
    "Odour sensor that schedules the cleaning cycle itself": [
        (_sketch_sensor, "Sketch of the odour sensor: a small box with a sensing element and waves rising "
                         "from it, beside bars for the cleaning cycles it schedules."),
        (_sketch_curve, "Chart: the smell builds up slowly after a wash (amber) and much faster when the "
                        "drum is left closed (red).")],
    "Solární e-ink tabule s LoRaWAN": [
        (_sketch_board, "Náčrt: e-inkoustová tabule s řádky odjezdů na sloupku zastávky; vpravo slunce a "
                        "solární panel, který ji napájí.")],
    "排水泵悬浮安装，切断振动传递": [
        (_sketch_pump, "草图：排水泵由两根弹簧悬挂在机架下方，右侧的波纹表示振动在弹簧处被隔断。")],
    "Two roof antennas, a carriage apart": [
        (_sketch_train, "Sketch of two train carriages, each with an antenna on its roof, and a double "
                        "arrow between the antennas, one carriage apart.")],
    "Training wheels mode: a gentle speed curve for the first ten rides": [
        (_sketch_curve, "Chart of speed against time: a gentle amber curve that rises slowly, beside the "
                        "steep red curve of today's scooters, above ten dots for the first ten rides.")],
    "Flag hard-braking hot spots for the city": [
        (_sketch_map, "Street map with six red circles marking the places where riders brake hard.")],
}


# -- member portraits ----------------------------------------------------------------

SKIN = ("#f1c27d", "#e0ac69", "#c68642", "#8d5524", "#ffdbac", "#f6d3b3")
HAIR = ("#2d1b0e", "#4a2f1b", "#a0522d", "#d4a017", "#1f2937", "#6b7280", "#7c2d12")
BACKDROP = ("#c7d2fe", "#a5b4fc", "#99f6e4", "#fde68a", "#fecdd3", "#e9d5ff", "#bae6fd")
SHIRT = (INDIGO, TEAL, ROSE, AMBER, SLATE, "#7e22ce", "#0369a1")


def portrait(seed: str) -> Image.Image:
    """A friendly head-and-shoulders portrait, the same for the same seed."""
    rng = random.Random(seed)
    image, d = _canvas(AVATAR, rng.choice(BACKDROP), rng.choice(BACKDROP))
    skin, hair = rng.choice(SKIN), rng.choice(HAIR)
    d.ellipse(_box(38, 176, 218, 330), fill=rng.choice(SHIRT))  # shoulders
    d.rectangle(_box(110, 150, 146, 190), fill=skin)  # neck
    long_hair = rng.random() < .45
    if long_hair:
        d.rounded_rectangle(_box(70, 60, 186, 196), radius=50 * S, fill=hair)
    d.ellipse(_box(82, 62, 174, 166), fill=skin)  # face
    style = rng.randrange(3)
    if style == 0:
        d.chord(_box(78, 50, 178, 130), 180, 360, fill=hair)
    elif style == 1:
        d.pieslice(_box(74, 52, 182, 140), 180, 330, fill=hair)
    else:
        d.chord(_box(80, 48, 176, 116), 160, 380, fill=hair)
    for ex in (112, 144):
        _circle(d, ex, 116, 5, fill="#1f2937")
    d.arc(_box(110, 120, 146, 148), 20, 160, fill="#7f1d1d", width=3 * S)
    if rng.random() < .3:  # glasses
        for ex in (112, 144):
            _circle(d, ex, 116, 13, outline="#111827", width=3 * S)
        d.line(_box(125, 116, 131, 116), fill="#111827", width=3 * S)
    return image.filter(ImageFilter.SMOOTH)


PORTRAITS = ("katerina.dvorak", "lucie.kralova", "ondrej.svoboda", "alexei.ivanov", "olga.petrova",
             "wang.lei", "li.na", "emma.clarke", "james.okafor", "hannah.berg", "oliver.grant",
             "petra.vlckova", "tom.hale", "judge.mitchell")


def _stored(image: Image.Image, size, field: str):
    return store_image(_finish(image, size), field=field, max_side=max(size))


def add_pictures(users: dict, challenges: dict, ideas_by_title: dict) -> dict[str, int]:
    """Covers, idea sketches and portraits for the demo's rows (no commit)."""
    from ideas.extensions import db
    from ideas.submissions.models import IdeaImage

    for key, draw in COVERS.items():
        if key in challenges:
            challenges[key].cover_image = _stored(draw(random.Random(key)), COVER, "cover").filename
    images = 0
    for title, drawers in SKETCHES.items():
        idea = ideas_by_title.get(title)
        if idea is None:
            continue
        for position, (draw, alt) in enumerate(drawers, start=1):
            stored = _stored(draw(random.Random(f"{title}:{position}")), SKETCH, "images")
            db.session.add(IdeaImage(idea_id=idea.id, position=position, filename=stored.filename,
                                     width=stored.width, height=stored.height, alt=alt,
                                     created_at=idea.created_at))
            images += 1
    avatars = 0
    for username in PORTRAITS:
        if username in users:
            users[username].avatar = _stored(portrait(username), AVATAR, "avatar").filename
            avatars += 1
    return {"covers": len(COVERS), "idea images": images, "avatars": avatars}
