"""Write the brief from the embedded snapshot into a temporary store and screenshot its HTML in headless
Chromium; prints the PNG's path and any console messages (exit 1 if there are any).

Run: python scripts/screenshot_brief.py [--topic us-mexico] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topic", default="us-mexico")
    parser.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="nearshore-shot-")))
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        print("headless Chromium not found: apt-get install -y chromium (or scripts/setup dev)")
        return 2
    env = {**os.environ, "NEARSHORE_DATA_DIR": str(args.out), "NEARSHORE_DB": str(args.out / "store.duckdb")}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "nearshore",
            "brief",
            "--topic",
            args.topic,
            "--format",
            "html",
            "--out",
            str(args.out),
            "--quiet",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    page = next(args.out.glob(f"{args.topic}-*.html"))
    shot = args.out / f"{page.stem}.png"
    result = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={args.out / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1000,5200",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    print(f"screenshot: {shot} (exit {result.returncode})")
    for line in console:
        print(f"console: {line}")
    return 1 if console or result.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
