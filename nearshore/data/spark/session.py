"""A Spark session from nearshore's settings, with clear errors before the JVM starts where possible.

The master comes from `--spark-master` or the `spark_master` setting (default `local[2]`): `local`, `local[N]`,
`local[*]`, `spark://host:port[,host:port]`, `yarn` or `k8s://https://host:port`. A `spark://` or `k8s://`
master is tried over TCP first with the `spark_timeout` bound, so an unreachable cluster fails in seconds with
its address, not after Spark's own minute of retries. pyspark is the optional `spark` extra; without it, or
without a Java runtime, the error says what to install.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from typing import Any, Final
from urllib.parse import urlsplit

from nearshore.errors import ConfigError
from nearshore.settings import Settings

EXTRA_HINT: Final = "install the Spark extra: pip install 'nearshore[spark]'"
JAVA_HINT: Final = (
    "Spark needs a Java 17 (or newer) runtime; install one (Debian: apt-get install openjdk-17-jre-headless) or "
    "point JAVA_HOME at it"
)
MASTER_FORMS: Final = "local, local[N], local[*], spark://host:port, yarn or k8s://https://host:port"
_LOCAL: Final = re.compile(r"^local(\[(\*|\d+)(,\s*\d+)?\])?$")
_SPARK: Final = re.compile(r"^spark://[^/\s]+:\d+(,[^/\s]+:\d+)*$")


def require_pyspark() -> Any:
    """The pyspark module, or a ConfigError naming the extra to install."""
    try:
        import pyspark
    except ImportError:
        raise ConfigError(f"the Spark engine needs pyspark, which is not installed; {EXTRA_HINT}") from None
    return pyspark


def java_available() -> str | None:
    """The java executable Spark would start (JAVA_HOME first, then PATH), or None."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = os.path.join(home, "bin", "java")
        return candidate if os.access(candidate, os.X_OK) else None
    return shutil.which("java")


def check_master(master: str) -> str:
    """`master` if it is a form Spark accepts; otherwise a ConfigError listing the forms."""
    master = master.strip()
    if _LOCAL.match(master) or _SPARK.match(master) or master == "yarn" or master.startswith("k8s://"):
        return master
    raise ConfigError(
        f"Spark master {master!r} is not one Spark accepts; use {MASTER_FORMS} (--spark-master or "
        "NEARSHORE_SPARK_MASTER)"
    )


def _endpoints(master: str) -> list[tuple[str, int]]:
    if master.startswith("spark://"):
        hosts = master[len("spark://") :].split(",")
        return [(h.rsplit(":", 1)[0].strip("[]"), int(h.rsplit(":", 1)[1])) for h in hosts]
    if master.startswith("k8s://"):
        url = urlsplit(master[len("k8s://") :] if "://" in master[len("k8s://") :] else "https://" + master[6:])
        return [(url.hostname or "", url.port or (443 if url.scheme == "https" else 80))]
    return []


def check_reachable(master: str, timeout: float) -> None:
    """Raise a ConfigError naming the master when none of its addresses accepts a connection within `timeout`."""
    endpoints = _endpoints(master)
    if not endpoints:
        return
    reasons = []
    for host, port in endpoints:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                return
        except OSError as exc:
            reasons.append(f"{host}:{port}: {exc.strerror or type(exc).__name__}")
    raise ConfigError(
        f"cannot reach the Spark master {master} within {timeout:g} s ({'; '.join(reasons)}); start the cluster or "
        "check its address, or run locally with --spark-master local[2] (NEARSHORE_SPARK_MASTER)"
    )


def spark_session(settings: Settings | None = None, *, master: str | None = None, app_name: str = "nearshore") -> Any:
    """A SparkSession on `master` (default: the `spark_master` setting), started with nearshore's defaults.

    An active session on the same master is reused; one on another master is stopped first.
    """
    settings = settings or Settings.load()
    master = check_master(master or settings.get("spark_master"))
    timeout = settings.number("spark_timeout")
    require_pyspark()
    check_reachable(master, timeout)
    if java_available() is None:
        raise ConfigError(f"no Java runtime found on PATH or in JAVA_HOME; {JAVA_HINT}")
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        if active.sparkContext.master == master:
            return active
        active.stop()
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # the JVM binds to loopback, not the first interface
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in _config(master, settings).items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # py4j and pyspark raise their own types; say which master and why
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"cannot start Spark on {master}: {first}; {JAVA_HINT} and check the master") from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def _config(master: str, settings: Settings) -> dict[str, str]:
    config = {
        "spark.driver.memory": settings.get("spark_driver_memory"),
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.parquet.compression.codec": "zstd",
    }
    if master.startswith("local"):
        # one machine: no network lookups of its own name, and few shuffle partitions (AQE merges the rest)
        config |= {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"}
        config["spark.sql.shuffle.partitions"] = "8"
    return config


__all__ = ["check_master", "check_reachable", "java_available", "require_pyspark", "spark_session"]
