# Rehearse: `make run` serves the embedded default, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install vendor-codemirror run test qa worker beat migrate clean bench bench-resumes bench-outage bench-programme bench-pdf bench-speech \
	resume-corpus bench-reading

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Rehearse needs Python 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,piper]"
	@touch $@

# Pyodide (Python in the browser, for coding interviews), fetched from npm and hash-checked.
PYODIDE := static/vendor/pyodide-0.29.5/pyodide.mjs
$(PYODIDE): deploy/vendor.py
	$(PYTHON) deploy/vendor.py

install: $(BIN)/.installed $(PYODIDE)

# Rebuild the room's code editor bundle (CodeMirror 6) from deploy/codemirror/ (needs npm).
vendor-codemirror:
	cd deploy/codemirror && npm install --no-save --silent && \
		npx esbuild entry.js --bundle --format=esm --minify --legal-comments=none \
		--outfile=../../static/vendor/codemirror-6.0.2.min.js

migrate: install
	$(BIN)/python manage.py migrate --noinput

run: migrate
	$(BIN)/python manage.py load_questionbank
	$(BIN)/python manage.py seed_demo
	@echo "Rehearse is at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(BIN)/python -m config.serve -b $(HOST) -p $(PORT) config.asgi:application

test: install
	$(BIN)/pytest -q

qa: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

# The production shape: needs REDIS_URL (and DATABASE_URL) in the environment or .env. One
# worker per queue (see config/celery.py), all stopped together by Ctrl+C.
CELERY_WORKER := $(BIN)/celery -A config worker --loglevel INFO
worker: install
	@trap 'kill 0' INT TERM EXIT; \
	$(CELERY_WORKER) --queues interviews --hostname interviews@%h \
		--concurrency $${WORKER_CONCURRENCY:-2} & \
	$(CELERY_WORKER) --queues speech --hostname speech@%h \
		--concurrency $${SPEECH_WORKER_CONCURRENCY:-1} & \
	$(CELERY_WORKER) --queues captions --hostname captions@%h \
		--concurrency $${CAPTIONS_WORKER_CONCURRENCY:-1} & \
	$(CELERY_WORKER) --queues documents --hostname documents@%h \
		--concurrency $${DOCUMENTS_WORKER_CONCURRENCY:-1} & \
	wait

beat: install
	$(BIN)/celery -A config beat --loglevel INFO

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache

# Load benchmark of the live interview in the production shape (Daphne, Celery, PostgreSQL,
# Redis); BENCH_STUDENTS, BENCH_THINK, BENCH_QUESTIONS, BENCH_RAMP tune it. See bench/run.sh.
bench: install
	bash bench/run.sh

# How long reading a resume takes (checks, Markdown, profile) for each test layout; see the README.
bench-resumes: install
	$(BIN)/python bench/parse_resumes.py

# How well the local reader reads the resume corpus (tests/resumes/corpus): roles, bullets, dates,
# education, skills, name, headline, Markdown left over and time, per layout; SPLIT=dev|test|all.
bench-reading: install
	$(BIN)/python bench/read_corpus.py --split $${SPLIT:-dev}

# Regenerates the resume corpus from tests/resumes/corpus/people/*.yaml: every rendercv theme,
# four Word-style layouts (WeasyPrint) and three scans, each PDF with its facts (JSON) beside it.
# rendercv is not an app dependency: it lives in its own venv, .venv-corpus, made here if missing
# (click too: rendercv 2.3's CLI imports it, and its typer no longer brings it).
CORPUS_VENV := .venv-corpus
$(CORPUS_VENV)/bin/rendercv:
	$(PYTHON) -m venv $(CORPUS_VENV)
	$(CORPUS_VENV)/bin/pip install --quiet "rendercv[full]==2.3" click

resume-corpus: install $(CORPUS_VENV)/bin/rendercv
	$(BIN)/python tests/resumes/corpus/build.py

# Interviews running while resumes are uploaded (issue 12's outage), in the production shape.
bench-outage: install
	$(BIN)/python bench/outage.py

# The coaching pages (roster, review queue, student page) with 500 students and 5,000 interviews.
bench-programme: install
	$(BIN)/python bench/programme.py

# How well and how fast the local speech engine hears answers (WER, RTF, captions); see the README.
bench-speech: install
	$(BIN)/python bench/speech.py

# How long the PDF of a 15-question report takes to render, on A4 and Letter.
bench-pdf: install
	$(BIN)/python bench/pdf.py
