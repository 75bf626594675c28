"""The Spark session helper's errors, all raised before a JVM starts (no Java or cluster needed)."""

from __future__ import annotations

import socket
import sys
import time

import pytest

from nearshore.data.spark.session import check_master, spark_session
from nearshore.errors import ConfigError
from nearshore.settings import Settings


@pytest.mark.parametrize("master", ["local", "local[2]", "local[*]", "local[4,2]", "spark://h1:7077,h2:7077", "yarn"])
def test_masters_spark_accepts(master: str) -> None:
    assert check_master(master) == master


@pytest.mark.parametrize("master", ["local[two]", "spark://nohost", "mesos://x:5050", ""])
def test_other_masters_are_refused_with_the_forms_listed(master: str) -> None:
    with pytest.raises(ConfigError) as error:
        check_master(master)
    assert str(error.value) == (
        f"Spark master {master!r} is not one Spark accepts; use local, local[N], local[*], spark://host:port, yarn "
        "or k8s://https://host:port (--spark-master or NEARSHORE_SPARK_MASTER)"
    )


def test_unreachable_master_is_named_within_the_timeout() -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'nearshore[spark]')")
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    master = f"spark://127.0.0.1:{port}"
    settings = Settings.load(spark_master=master, spark_timeout="2")
    started = time.monotonic()
    with pytest.raises(ConfigError) as error:
        spark_session(settings)
    assert time.monotonic() - started < 10
    assert str(error.value).startswith(f"cannot reach the Spark master {master} within 2 s (127.0.0.1:{port}: ")
    assert str(error.value).endswith(
        "start the cluster or check its address, or run locally with --spark-master local[2] (NEARSHORE_SPARK_MASTER)"
    )


def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    with pytest.raises(ConfigError) as error:
        spark_session(Settings.load(spark_master="local[2]"))
    assert str(error.value) == (
        "the Spark engine needs pyspark, which is not installed; "
        "install the Spark extra: pip install 'nearshore[spark]'"
    )


def test_missing_java_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'nearshore[spark]')")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ConfigError, match=r"no Java runtime found on PATH or in JAVA_HOME; Spark needs a Java 17"):
        spark_session(Settings.load(spark_master="local[2]"))


@pytest.mark.parametrize(
    ("value", "wrong"),
    [("0", "must be above 0 seconds"), ("soon", "must be a finite number"), ("3601", "must be at most 3600 seconds")],
)
def test_a_bad_timeout_is_named_when_the_settings_are_read(value: str, wrong: str) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.load(spark_master="spark://127.0.0.1:7077", spark_timeout=value)
    assert str(error.value) == (
        f"setting spark_timeout (NEARSHORE_SPARK_TIMEOUT) {wrong}, got {value}; "
        "allowed: a number above 0 and at most 3600 seconds"
    )
