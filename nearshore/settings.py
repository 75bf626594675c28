"""Settings: one declarative table, read explicitly (never at import time).

Each setting has a name, a default, the environment variable that overrides it, and help text.
`docs/settings.md` lists them all; a test checks the two agree.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    env: str
    help: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "db_path",
        "",
        "NEARSHORE_DB",
        "DuckDB store file; ':memory:' for a throwaway store. Empty: <data_dir>/nearshore.duckdb.",
    ),
    Setting(
        "data_dir",
        "",
        "NEARSHORE_DATA_DIR",
        "Directory for the store and caches. Empty: the platform's user data directory.",
    ),
    Setting(
        "memory_limit",
        "",
        "NEARSHORE_MEMORY_LIMIT",
        "DuckDB memory limit for the store, e.g. '1GB' (larger work spills to disk). Empty: DuckDB's default.",
    ),
    Setting(
        "shared_dir",
        "",
        "NEARSHORE_SHARED_DIR",
        "Directory holding the official raw files (data/raw/...) used to build the snapshot.",
    ),
    Setting(
        "census_api_key",
        "",
        "CENSUS_API_KEY",
        "Key for the U.S. Census International Trade API (required on every request since May 2026).",
        secret=True,
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
        secret=True,
    ),
    Setting(
        "comtrade_base_url", "https://comtradeapi.un.org", "NEARSHORE_COMTRADE_URL", "Base URL of the UN Comtrade API."
    ),
    Setting("http_timeout", "30", "NEARSHORE_HTTP_TIMEOUT", "Seconds before an HTTP request times out."),
    Setting("http_retries", "5", "NEARSHORE_HTTP_RETRIES", "Retries on 429/5xx/timeouts, with backoff."),
    Setting(
        "llm_base_url",
        "",
        "NEARSHORE_LLM_BASE_URL",
        "OpenAI-compatible endpoint for the LLM writer, e.g. http://127.0.0.1:8000/v1.",
    ),
    Setting("llm_model", "", "NEARSHORE_LLM_MODEL", "Model name sent to the LLM endpoint."),
    Setting("llm_api_key", "", "NEARSHORE_LLM_API_KEY", "API key for the LLM endpoint.", secret=True),
    Setting(
        "llm_timeout",
        "180",
        "NEARSHORE_LLM_TIMEOUT",
        "Seconds to wait for one LLM reply (reasoning models think before answering).",
    ),
    Setting(
        "llm_retries",
        "2",
        "NEARSHORE_LLM_RETRIES",
        "Retries of one LLM request on 429/5xx/timeouts before the endpoint counts as unavailable.",
    ),
    Setting(
        "llm_attempts",
        "3",
        "NEARSHORE_LLM_ATTEMPTS",
        "Drafts the LLM writer may try per section (re-prompted with the verifier's errors) before "
        "the section falls back to the template text.",
    ),
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

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Resolved settings: defaults overridden by the environment, then by explicit overrides."""

    values: Mapping[str, str]

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, **overrides: str) -> Settings:
        env = os.environ if env is None else env
        values = {s.name: env.get(s.env, s.default) for s in SETTINGS}
        for key, value in overrides.items():
            if key not in _BY_NAME:
                allowed = ", ".join(sorted(_BY_NAME))
                raise KeyError(f"unknown setting {key!r}; known settings: {allowed}")
            values[key] = value
        return cls(values)

    def get(self, name: str) -> str:
        return self.values[name]

    def data_dir(self) -> Path:
        configured = self.values["data_dir"]
        return Path(configured) if configured else Path(platformdirs.user_data_dir("nearshore"))

    def db_path(self) -> str:
        configured = self.values["db_path"]
        if configured:
            return configured
        return str(self.data_dir() / "nearshore.duckdb")

    def shared_dir(self) -> Path | None:
        configured = self.values["shared_dir"]
        return Path(configured) if configured else None

    def raw_dir(self) -> Path:
        """The official raw files: <shared_dir>/data/raw, by default ../shared/data/raw from here."""
        shared = self.shared_dir() or Path("..") / "shared"
        return shared / "data" / "raw"

    def number(self, name: str) -> float:
        from nearshore.errors import ConfigError

        raw = self.values[name]
        try:
            return float(raw)
        except ValueError:
            setting = _BY_NAME[name]
            raise ConfigError(f"setting {name} ({setting.env}) must be a number, got {raw!r}") from None

    def redacted(self) -> dict[str, str]:
        """Values safe to print: secrets are masked."""
        return {s.name: ("***" if s.secret and self.values[s.name] else self.values[s.name]) for s in SETTINGS}
