"""Install third-party browser assets into static/vendor/ (they are not committed).

Each asset is fetched from the npm registry as a tarball, checked against the pinned
sha512 integrity hash, and the one file we serve is extracted. Runs with the standard
library only, so it works before the virtual environment exists.
"""

from __future__ import annotations

import base64
import hashlib
import io
import pathlib
import sys
import tarfile
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"

ASSETS = [
    {
        "name": "htmx.org",
        "version": "2.0.11",
        "tarball": "https://registry.npmjs.org/htmx.org/-/htmx.org-2.0.11.tgz",
        "integrity": "sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==",
        "member": "package/dist/htmx.min.js",
        "target": "htmx.min.js",
    },
]


def install(asset: dict) -> None:
    target = VENDOR / asset["target"]
    stamp = VENDOR / (asset["target"] + ".version")
    if target.exists() and stamp.exists() and stamp.read_text() == asset["version"]:
        return
    print(f"fetching {asset['name']} {asset['version']} from the npm registry")
    with urllib.request.urlopen(asset["tarball"], timeout=60) as response:
        data = response.read()
    algo, expected = asset["integrity"].split("-", 1)
    actual = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if actual != expected:
        sys.exit(f"{asset['name']}: integrity check failed ({actual} != {expected})")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        member = tar.extractfile(asset["member"])
        if member is None:
            sys.exit(f"{asset['name']}: {asset['member']} not in the tarball")
        VENDOR.mkdir(parents=True, exist_ok=True)
        target.write_bytes(member.read())
    stamp.write_text(asset["version"])


if __name__ == "__main__":
    for a in ASSETS:
        install(a)
