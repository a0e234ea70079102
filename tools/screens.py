"""Screenshots of the main pages, made from the demo: `python tools/screens.py`.

Loads the demo into a scratch instance (a temporary folder: SQLite, uploads, secret),
serves it on a free loopback port from a thread, and photographs the main pages at
1280 and 390 px wide as a visitor, a member and a staff member, with Playwright driving
Debian's Chromium (/usr/lib/chromium/chromium, or CHROMIUM_PATH). The pictures go to
docs/screens/ as PNG reduced to a palette of 256 colours (half the plain PNG's
size), each cut at a fixed height so the whole set stays small. The README's
"Screens" section shows them.

Without Playwright or Chromium it says what is missing and exits 0: screenshots are
documentation, not a test.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium")
WIDTHS = {1280: 1000, 390: 1400}  # viewport width -> height the picture is cut at
COLOURS = 256


@dataclass(frozen=True)
class Shot:
    role: str  # visitor, member, staff
    name: str  # file name part
    title: str  # what the README says
    path: str


def missing_tools() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -r requirements-dev.txt)"
    if not Path(CHROMIUM).exists():
        return f"Chromium is not at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)"
    return None


def build_app(instance: Path):
    """The app on a fresh scratch instance, migrated, with the demo loaded."""
    os.environ["INSTANCE_PATH"] = str(instance)
    for name in ("DATABASE_URL", "REDIS_URL", "MAIL_SERVER"):
        os.environ.pop(name, None)
    from flask_migrate import upgrade

    from ideas import create_app
    from ideas.demo.loader import load_demo
    from ideas.extensions import db

    app = create_app({"RATELIMIT_ENABLED": False, "LOGIN_THROTTLE_ENABLED": False,
                      "MAIL_LOCAL_AFTER_REQUEST": False})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_demo()
        db.session.commit()
    return app


def shots(app) -> list[Shot]:
    """The pages to photograph, found in the demo by their titles."""
    from sqlalchemy import select

    from ideas.challenges.models import Challenge
    from ideas.extensions import db
    from ideas.submissions.models import Idea

    with app.app_context():
        def challenge(prefix):
            return db.session.scalar(select(Challenge).where(Challenge.title.startswith(prefix)))

        def idea(title):
            return db.session.scalar(select(Idea).where(Idea.title == title))

        washer, dishwasher = challenge("Keep the washing machine"), challenge("A dishwasher")
        pictured = idea("Тёплый обдув уплотнителя после стирки")
        quiet = idea("Ramp the drain pump instead of switching it on")
        wash = f"/challenges/{washer.id}-{washer.slug}"
        dish = f"/challenges/{dishwasher.id}-{dishwasher.slug}"
        return [
            Shot("visitor", "home", "Home page", "/"),
            Shot("visitor", "challenges", "Challenges", "/challenges/"),
            Shot("visitor", "challenge", "A challenge, with its participation chart", wash),
            Shot("visitor", "ideas", "A challenge's ideas, with thumbnails", f"{wash}/ideas"),
            Shot("visitor", "idea", "An idea, with its images and vote history", f"/ideas/{pictured.id}-{pictured.slug}"),
            Shot("member", "home", "A member's home", "/"),
            Shot("member", "idea", "Voting and discussing", f"/ideas/{pictured.id}-{pictured.slug}"),
            Shot("member", "contributions", "My contributions", "/me/contributions"),
            Shot("member", "notifications", "Notifications", "/notifications/"),
            Shot("staff", "home", "Staff home: what needs them", "/"),
            Shot("staff", "challenge", "A challenge as its staff see it", dish),
            Shot("staff", "idea", "Staff actions on an idea", f"/ideas/{quiet.id}-{quiet.slug}"),
            Shot("staff", "moderation", "Moderation", f"{dish}/moderation"),
            Shot("staff", "ranking", "The judges' calibrated ranking", f"{dish}/judging/ranking"),
        ]


# Members whose own language is English, so the pictures read in one language.
ACCOUNTS = {"member": "emma.clarke@demo.example", "staff": "tom.hale@demo.example"}


def serve(app):
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def small_png(data: bytes, height: int) -> bytes:
    """Cut at `height` and reduce to a palette: text and flat colours stay crisp."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        if image.height > height:
            image = image.crop((0, 0, image.width, height))
        # An octree palette keeps small accents (badges, the brand mark) that median cut
        # loses; dithering against it keeps gradients smooth.
        palette = image.quantize(colors=COLOURS, method=Image.Quantize.FASTOCTREE)
        reduced = image.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG)
        out = io.BytesIO()
        reduced.save(out, "PNG", optimize=True)
        return out.getvalue()


def photograph(base: str, pages: list[Shot], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from ideas.demo.content import PASSWORD

    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"])
        for role in ("visitor", "member", "staff"):
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": 900 if width > 600 else 844},
                                              locale="en-GB")
                page = context.new_page()
                if role in ACCOUNTS:
                    page.goto(f"{base}/login")
                    page.fill("#email", ACCOUNTS[role])
                    page.fill("#password", PASSWORD)
                    page.click("main form button[type=submit]")
                    page.wait_for_load_state("networkidle")
                for shot in (s for s in pages if s.role == role):
                    page.goto(base + shot.path)
                    page.wait_for_load_state("networkidle")
                    target = out / f"{shot.role}-{shot.name}-{width}.png"
                    target.write_bytes(small_png(page.screenshot(full_page=True), height))
                    written.append(target)
                    print(f"{target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB)")
                context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screens"), help="where the PNG files go")
    args = parser.parse_args(argv)
    reason = missing_tools()
    if reason:
        print(f"screenshots skipped: {reason}")
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    instance = Path(tempfile.mkdtemp(prefix="ideas-screens-"))
    started = time.monotonic()
    try:
        app = build_app(instance)
        server = serve(app)
        try:
            written = photograph(f"http://127.0.0.1:{server.server_port}", shots(app), out)
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(instance, ignore_errors=True)
    total = sum(p.stat().st_size for p in written)
    print(f"{len(written)} screenshots, {total // 1024} KB, in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
