"""Generated covers for challenges that have no uploaded one.

Pure module (no app, no database). A challenge's cover is drawn from a short key, a
digest of its id and title, so it is the same on every page and every server, and two
challenges almost never share one: the key picks one of several patterns, a palette
from the brand's colours, and the pattern's own positions, sizes and angles. The SVG is
built from the key alone (no title or other text inside), so serving it by key tells
nothing about a challenge the reader may not see.
"""

from __future__ import annotations

import hashlib
import math
import random
import re

WIDTH, HEIGHT = 800, 350  # 16:7, the cards' and the challenge page's cover shape
KEY = re.compile(r"[0-9a-f]{16}")

# (background from, background to, shape colours...) in the brand palette: indigo,
# amber, teal, rose and slate, each light on dark.
PALETTES = (
    ("#312e81", "#4338ca", "#818cf8", "#c7d2fe", "#f59e0b"),
    ("#1e1b4b", "#3730a3", "#6366f1", "#a5b4fc", "#fbbf24"),
    ("#134e4a", "#0f766e", "#2dd4bf", "#99f6e4", "#fde68a"),
    ("#7c2d12", "#c2410c", "#fb923c", "#fed7aa", "#fef3c7"),
    ("#4c0519", "#9f1239", "#fb7185", "#fecdd3", "#c7d2fe"),
    ("#0f172a", "#334155", "#94a3b8", "#e2e8f0", "#f59e0b"),
    ("#3b0764", "#6b21a8", "#c084fc", "#e9d5ff", "#5eead4"),
    ("#082f49", "#0369a1", "#38bdf8", "#bae6fd", "#fcd34d"),
)


def cover_key(challenge_id: int, title: str) -> str:
    """The 16 hex digits that choose a challenge's generated cover."""
    return hashlib.sha256(f"{challenge_id}:{title}".encode()).hexdigest()[:16]


def cover_svg(key: str) -> str:
    """The cover for `key` as an SVG document (the same key, the same bytes)."""
    if not KEY.fullmatch(key):
        raise ValueError(f"not a cover key: {key!r}")
    rng = random.Random(int(key, 16))
    palette = PALETTES[rng.randrange(len(PALETTES))]
    pattern = PATTERNS[rng.randrange(len(PATTERNS))]
    angle = rng.choice((20, 35, 50, 65, 110, 135, 160))
    shapes = pattern(rng, palette)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" preserveAspectRatio="xMidYMid slice">'
        f'<defs><linearGradient id="g{key}" gradientTransform="rotate({angle} .5 .5)">'
        f'<stop offset="0" stop-color="{palette[0]}"/><stop offset="1" stop-color="{palette[1]}"/>'
        f'</linearGradient></defs><rect width="{WIDTH}" height="{HEIGHT}" fill="url(#g{key})"/>'
        f'<g class="{pattern.__name__.strip("_")}">{"".join(shapes)}</g></svg>'
    )


def _bubbles(rng: random.Random, palette) -> list[str]:
    out = []
    for _ in range(rng.randint(7, 13)):
        r = rng.randint(20, 150)
        out.append(f'<circle cx="{rng.randint(0, WIDTH)}" cy="{rng.randint(0, HEIGHT)}" r="{r}" '
                   f'fill="{rng.choice(palette[2:])}" fill-opacity="{rng.choice((.18, .28, .4, .55))}"/>')
    return out


def _stripes(rng: random.Random, palette) -> list[str]:
    out = []
    slope = rng.choice((-1, 1)) * rng.uniform(.4, 1.6)
    x = -HEIGHT * 2
    while x < WIDTH + HEIGHT * 2:
        band = rng.randint(18, 90)
        dx = slope * HEIGHT
        out.append(f'<polygon points="{x:.0f},0 {x + band:.0f},0 {x + band + dx:.0f},{HEIGHT} {x + dx:.0f},{HEIGHT}" '
                   f'fill="{rng.choice(palette[2:])}" fill-opacity="{rng.choice((.15, .25, .35, .5))}"/>')
        x += band + rng.randint(20, 110)
    return out


def _triangles(rng: random.Random, palette) -> list[str]:
    out = []
    size = rng.choice((70, 88, 100, 117))
    rows, cols = HEIGHT // size + 2, WIDTH // size + 2
    for row in range(rows):
        for col in range(cols):
            if rng.random() < .45:
                continue
            x, y = col * size - (size // 2 if row % 2 else 0), row * size
            up = rng.random() < .5
            pts = (f"{x},{y + size} {x + size},{y + size} {x + size / 2:.0f},{y}" if up
                   else f"{x},{y} {x + size},{y} {x + size / 2:.0f},{y + size}")
            out.append(f'<polygon points="{pts}" fill="{rng.choice(palette[2:])}" '
                       f'fill-opacity="{rng.choice((.12, .22, .32, .45))}"/>')
    return out


def _waves(rng: random.Random, palette) -> list[str]:
    out = []
    layers = rng.randint(3, 5)
    for n in range(layers):
        base = HEIGHT * (n + 1) / (layers + 1)
        amp, freq, phase = rng.uniform(12, 45), rng.uniform(1, 3.2), rng.uniform(0, math.tau)
        pts = " ".join(f"{x},{base + amp * math.sin(freq * math.tau * x / WIDTH + phase):.0f}"
                       for x in range(0, WIDTH + 40, 40))
        out.append(f'<polygon points="0,{HEIGHT} {pts} {WIDTH},{HEIGHT}" fill="{palette[2 + n % 3]}" '
                   f'fill-opacity="{.18 + .1 * n:.2f}"/>')
    return out


def _rings(rng: random.Random, palette) -> list[str]:
    cx, cy = rng.randint(WIDTH // 5, WIDTH * 4 // 5), rng.randint(0, HEIGHT)
    out = []
    step = rng.randint(22, 40)
    for n, r in enumerate(range(step, WIDTH, step)):
        out.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="{palette[2 + n % 3]}" '
                   f'stroke-width="{rng.randint(3, 12)}" stroke-opacity="{rng.choice((.2, .3, .45))}"/>')
    return out


def _dots(rng: random.Random, palette) -> list[str]:
    out = []
    gap = rng.choice((28, 34, 40, 48))
    wave = rng.uniform(.004, .02)
    for y in range(gap // 2, HEIGHT, gap):
        for x in range(gap // 2, WIDTH, gap):
            r = 3 + 9 * (0.5 + 0.5 * math.sin(wave * (x + 1.7 * y)))
            out.append(f'<circle cx="{x}" cy="{y}" r="{r:.1f}" fill="{palette[2 + (x // gap + y // gap) % 3]}" '
                       f'fill-opacity=".45"/>')
    return out


PATTERNS = (_bubbles, _stripes, _triangles, _waves, _rings, _dots)
