"""The front-end assets: one pinned version per package, the same on both sources, and
every served file checked against its hash (tools/fetch_assets.py)."""

from __future__ import annotations

import importlib.util
import json
import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _load_fetcher():
    spec = importlib.util.spec_from_file_location("fetch_assets", ROOT / "tools" / "fetch_assets.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


fetch = _load_fetcher()


def test_the_lock_pins_exactly_what_package_json_asks_for():
    wanted = json.loads((ROOT / "package.json").read_text())["dependencies"]
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for name, version in wanted.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name}: pin an exact version"
        locked = lock["packages"][f"node_modules/{name}"]
        assert locked["version"] == version
        assert locked["integrity"].startswith("sha512-")
    assert {a.package for a in fetch.FILES} == set(wanted)


def test_the_pypi_fallback_ships_the_same_versions_and_is_hash_pinned():
    lines = [ln for ln in (ROOT / "tools" / "assets-pypi.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    pins = {}
    for line in lines:
        match = re.fullmatch(r"([\w.-]+)==([\w.]+) --hash=sha256:([0-9a-f]{64})", line.strip())
        assert match, f"not an exact, hash-pinned requirement: {line}"
        pins[match.group(1)] = match.group(2)
    wanted = json.loads((ROOT / "package.json").read_text())["dependencies"]
    # django-js-lib-htmx 2.0.3.1 packs htmx 2.0.3; Bootstrap-Flask 2.6.0 packs Bootstrap Icons 1.13.1.
    assert pins["django-js-lib-htmx"].startswith(wanted["htmx.org"] + ".")
    assert wanted["bootstrap-icons"] == "1.13.1" and pins["Bootstrap-Flask"] == "2.6.0"
    # The Bootstrap-Flask of the fallback is the one the app runs with.
    assert "Bootstrap-Flask==2.6.0" in (ROOT / "requirements.txt").read_text()
    assert {a.wheel for a in fetch.FILES if a.wheel} <= set(pins)
    # axe-core is the one npm-only asset: no wheel ships its pinned version, and it is test-only.
    assert [a.package for a in fetch.FILES if a.wheel is None] == ["axe-core"]
    assert all(a.test_only for a in fetch.FILES if a.wheel is None)


def test_the_test_only_axe_core_is_kept_out_of_what_the_site_serves():
    axe = next(a for a in fetch.FILES if a.package == "axe-core")
    path = fetch.installed_path(axe)
    assert fetch.VENDOR not in path.parents and (ROOT / "static") not in path.parents
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "tests/browser/vendor/" in ignored and "static/vendor/" in ignored


def test_without_npm_the_setup_succeeds_and_leaves_out_only_the_test_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fetch, "VENDOR", tmp_path / "static")
    monkeypatch.setattr(fetch, "TEST_VENDOR", tmp_path / "tests")
    for asset in fetch.FILES:  # the served files in place, as the PyPI wheels would leave them
        if not asset.test_only:
            target = fetch.installed_path(asset)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(asset.sha256)
    monkeypatch.setattr(fetch, "sha256_of", lambda path: path.read_text())
    monkeypatch.setattr(fetch.shutil, "which", lambda name: None)

    def no_download(*args, **kwargs):
        raise AssertionError(f"nothing is left to download, yet it ran {args}")
    monkeypatch.setattr(fetch.subprocess, "run", no_download)
    assert fetch.main([]) == 0
    assert "the accessibility test will skip" in capsys.readouterr().err
    assert fetch.main(["--check"]) == 0


def test_installed_assets_are_the_pinned_files():
    if fetch.missing_or_wrong():
        pytest.skip("assets not installed (make setup installs them)")
    assert fetch.main(["--check"]) == 0


def test_a_file_that_differs_from_its_pin_is_refused(tmp_path):
    asset = fetch.FILES[0]
    bad = tmp_path / "htmx.min.js"
    bad.write_text("alert('not htmx')")
    with pytest.raises(fetch.AssetError, match="sha256"):
        fetch.place(asset, bad, tmp_path / "vendor")
    assert not fetch.installed_path(asset, tmp_path / "vendor").exists()
    assert fetch.missing_or_wrong(tmp_path / "vendor") == list(fetch.FILES)


def test_the_icon_font_is_served_from_the_site(client):
    page = client.get("/").get_data(as_text=True)
    assert '/static/vendor/bootstrap-icons/bootstrap-icons.min.css' in page
    assert "cdn" not in page.lower()
