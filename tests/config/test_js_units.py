"""The front end's unit tests (tests/js/, `node --test`) run with the suite wherever Node is.

They test the pure parts of the page scripts in static/js (the interview room's connection) with
Node's own test runner: no browser, no npm packages.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")


@pytest.mark.skipif(
    NODE is None, reason="node is not on PATH: the JavaScript unit tests need Node.js (nodejs)"
)
def test_the_javascript_unit_tests_pass():
    assert NODE is not None
    # The files by name: what `node --test tests/js/` runs on Node 20, and the same on later
    # versions too, which read the arguments as glob patterns.
    files = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "tests/js").glob("*.test.mjs"))
    assert files, "no tests/js/*.test.mjs"

    result = subprocess.run(
        [NODE, "--test", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, (
        f"node --test exited with {result.returncode}\n{result.stdout}\n{result.stderr}"
    )
