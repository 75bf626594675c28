"""kill -9 in the middle of a send, then the same command again: every reader gets the issue exactly once.

The sender is the real CLI in a subprocess, the server a real aiosmtpd on 127.0.0.1 in this process, the send
log a real SQLite file. The kill comes at a random point (the seed is printed, to replay a failure)."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from nearshore.delivery.db import Database
from nearshore.delivery.send import count
from tests.delivery.conftest import news_env
from tests.delivery.helpers import add_readers
from tests.delivery.servers import smtp_server

SLUG = "us-mexico/2026-05-11"
READERS = 500


@pytest.mark.slow
def test_kill_9_mid_send_then_resume(with_issue: Database, tmp_path: Path) -> None:
    readers = add_readers(with_issue, tmp_path, READERS)
    seed = random.randrange(1 << 30)
    chance = random.Random(seed)
    kill_after = chance.randrange(20, READERS - 40)
    delay = chance.uniform(0, 0.02)  # then anywhere in the next message or two, not only at a message's start
    print(f"seed {seed}: kill -9 {delay * 1000:.1f} ms after {kill_after} messages")
    database = with_issue.engine.url.database
    with_issue.close()
    with smtp_server() as (inbox, port):
        env = {**os.environ, **news_env(port), "NEARSHORE_DATABASE_URL": f"sqlite:///{database}"}
        command = [sys.executable, "-m", "nearshore", "newsletter", "send", SLUG, "--quiet"]
        sender = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while len(inbox.received) < kill_after and sender.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(delay)
        sender.send_signal(signal.SIGKILL)
        sender.communicate(timeout=30)
        assert sender.returncode == -signal.SIGKILL, "the send finished before the kill: nothing was tested"
        at_kill = len(inbox.received)
        resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert resumed.returncode == 0, resumed.stderr
    received = Counter(inbox.recipients())
    duplicates = {r: n for r, n in received.items() if n > 1}
    missing = set(readers) - set(received)
    assert duplicates == {}, f"seed {seed}: {len(duplicates)} duplicated"
    assert missing == set(), f"seed {seed}: {len(missing)} missing"
    assert 0 < at_kill < READERS
    found = re.search(r": (\d+) sent, .* (\d+) sent earlier", resumed.stdout)
    assert found
    assert int(found.group(1)) + int(found.group(2)) == READERS
    assert int(found.group(2)) >= at_kill - 1
    from nearshore.delivery.db import open_database

    reopened = open_database(f"sqlite:///{database}")
    try:
        assert count(reopened, SLUG) == {"sent": READERS}
    finally:
        reopened.close()
