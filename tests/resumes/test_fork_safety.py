"""Reading a PDF cannot hang a Celery pool process.

pymupdf 2 starts onnxruntime's threads when it is imported. The Celery worker's parent forks its
pool; when the parent had imported MuPDF, a child that reads a PDF hangs for good at its next
garbage collection (and with it any task it runs next, and its row locks). So nothing the worker
parent or Daphne imports at start-up may import MuPDF (or any native library with threads):
only the process that reads a PDF does, when it reads one: since uploads are read in a process
of their own (resumes.pdf), the pool process never imports MuPDF at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.processes import ROOT
from tests.resumes import resume_pdfs

# Libraries that start native threads when imported.
THREADED = (
    "pymupdf",
    "pymupdf4llm",
    "onnxruntime",
    "torch",
    "ctranslate2",
    "faster_whisper",
    "numpy",
)

# What the worker's parent and Daphne load before they serve: Django, every app's tasks (Celery's
# autodiscovery) and the ASGI application with every URL, view and consumer.
START_UP = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from config.celery import app
app.loader.import_default_modules()
import config.asgi
from django.urls import get_resolver
get_resolver().url_patterns
"""


def _run(script: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_worker_parent_and_daphne_start_without_a_threaded_native_library():
    done = _run(
        START_UP
        + f"""
import json, sys
print(json.dumps({{
    "threads": len(os.listdir("/proc/self/task")),
    "loaded": sorted({{m.split(".")[0] for m in sys.modules}} & set({THREADED!r})),
}}))
"""
    )
    assert done.returncode == 0, done.stderr
    started = json.loads(done.stdout.strip().splitlines()[-1])
    assert started == {"threads": 1, "loaded": []}


def test_a_forked_pool_process_reads_a_resume_and_collects_its_garbage(tmp_path):
    pdf = tmp_path / "resume.pdf"
    pdf.write_bytes(resume_pdfs.one_column())
    done = _run(
        START_UP
        + f"""
import gc, os, signal, time
pid = os.fork()
if pid == 0:  # as a Celery pool process does: read the PDF, then go on collecting garbage
    from resumes import documents
    markdown = documents.read(open({str(pdf)!r}, "rb").read()).markdown
    gc.collect()
    os._exit(0 if "Priya" in markdown else 3)
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    finished, status = os.waitpid(pid, os.WNOHANG)
    if finished:
        print("exit", os.waitstatus_to_exitcode(status))
        break
    time.sleep(0.05)
else:
    os.kill(pid, signal.SIGKILL)
    print("hung")
""",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "exit 0"
