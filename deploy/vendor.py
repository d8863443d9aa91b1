"""Fetch Pyodide (Python in the browser, for coding interviews) from the npm registry into
static/vendor/, checked against its published integrity hash; nothing to do when it is there.

Run by `make install` and the Dockerfile. The room's code runs in the candidate's browser, never
on the server: this is the interpreter it runs in, served by Rehearse itself (no CDN).
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "0.29.5"
TARBALL = f"https://registry.npmjs.org/pyodide/-/pyodide-{VERSION}.tgz"
INTEGRITY = (
    "sha512-TkYrUv9m8QmfImADKRmpwZulL48E0uUaBSO+dvRQKyAJc0qh9gu7jn8btyHPh3NZm1r2"
    "IH2YrJhIr7Q2B9urAw=="
)
FILES = (
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
    "package.json",
    "README.md",
)
TARGET = Path(__file__).resolve().parent.parent / "static" / "vendor" / f"pyodide-{VERSION}"


def main() -> int:
    if all((TARGET / name).exists() for name in FILES):
        return 0
    print(f"Fetching Pyodide {VERSION} from the npm registry…", file=sys.stderr)
    with urllib.request.urlopen(TARBALL, timeout=120) as response:
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        print(f"Pyodide's tarball does not match its integrity hash ({digest}).", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for name in FILES:
            member = archive.extractfile(f"package/{name}")
            assert member is not None
            (TARGET / name).write_bytes(member.read())
    return 0


if __name__ == "__main__":
    sys.exit(main())
