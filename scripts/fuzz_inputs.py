"""Long fuzz campaigns over what users type and give: bills of materials (the example BOMs as YAML, JSON and CSV,
mutated), tariff entry lines, tariff entry files (CSV and JSON, mutated) and settings. Each input runs in a
worker process with a time limit and an address-space limit, and is judged by the test suite's oracles
(tests/origin/bom_fuzzing.py, tests/tariffs/input_fuzzing.py, tests/test_settings_fuzz.py).

Counts printed (and kept in docs/reliability.md): inputs tried, clean errors (refused with a located message,
exit 2-6, or 3 for a setting), successes (a result with finite figures), crashes (anything else: a traceback, a
wrong exit code, an unlocated message, NaN or Infinity in a result), hangs (over the time limit) and memory
(over the limit); and the largest peak memory one input took.

    python scripts/fuzz_inputs.py --inputs 2000            # about 2-4 minutes
    python scripts/fuzz_inputs.py --inputs 500 --only bom  # BOMs only

Inside the timing: the whole campaign. Outside: starting the worker (imports, the duty engine, the schedule).
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KINDS = ("bom", "entry-file", "entry", "setting")
SHARE = {"bom": 0.5, "entry-file": 0.2, "entry": 0.2, "setting": 0.1}
MEMORY = 2 << 30  # bytes an input may add to the worker's address space

_STATE: dict[str, Any] = {}


def _start(folder: str) -> None:
    """The worker: imports, the duty engines and the address-space limit, once."""
    from nearshore.tariffs.policy import load_policy
    from tests.origin.bom_fuzzing import engine
    from tests.tariffs.input_fuzzing import small_schedule

    _STATE.update(folder=Path(folder), calculator=engine(), schedule=small_schedule(), policy=load_policy())
    used = _status("VmSize") * 1024
    resource.setrlimit(resource.RLIMIT_AS, (used + MEMORY, resource.RLIM_INFINITY))


def _status(field: str) -> int:
    """A field of /proc/self/status in kB (0 where there is none)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _run(kind: str, seed: int) -> tuple[str, str, int]:
    """(result, message, peak memory in kB) of one input, drawn from `seed`."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # start this input's peak from the current size
    rng = random.Random(seed)
    try:
        result, message = _one(kind, rng)
    except MemoryError:
        result, message = "memory", f"{kind} input {seed}: over the memory limit"
    return result, message, _status("VmHWM")


def _one(kind: str, rng: random.Random) -> tuple[str, str]:
    folder: Path = _STATE["folder"]
    if kind == "bom":
        from tests.origin.bom_fuzzing import check_outcome, random_edits, seeds

        seed = rng.choice(seeds())
        edits = random_edits(rng, rng.randint(1, 3))
        path = folder / seed.name
        path.write_bytes(seed.file(edits))
        outcome = check_outcome(path, _STATE["calculator"])
        return outcome.result, f"{seed.name} {edits}: {outcome.message}"[:600]
    if kind == "entry-file":
        from tests.data_sources.fuzzing import NASTY
        from tests.data_sources.fuzzing import random_edits as byte_edits
        from tests.tariffs.input_fuzzing import CELLS, entry_seeds, file_outcome

        seed = rng.choice(entry_seeds())
        edits = byte_edits(rng, rng.randint(1, 3))
        cells = (*CELLS, *NASTY)
        edits = [e if rng.random() < 0.5 else type(e)(e.kind, e.at, e.other, rng.choice(cells)) for e in edits]
        path = folder / seed.name
        path.write_bytes(seed.file(edits))
        outcome = file_outcome(path, _STATE["schedule"], _STATE["policy"])
        return outcome.result, f"{seed.name} {edits}: {outcome.message}"[:600]
    if kind == "entry":
        from tests.tariffs.input_fuzzing import entry_outcome, random_entry

        entry = random_entry(rng)
        outcome = entry_outcome(entry, _STATE["schedule"], _STATE["policy"])
        return outcome.result, f"{entry}: {outcome.message}"[:600]
    return _setting(rng)


def _setting(rng: random.Random) -> tuple[str, str]:
    import math

    from nearshore.errors import ConfigError
    from nearshore.settings import SETTINGS, Settings
    from tests.test_settings_fuzz import NASTY

    setting = rng.choice(SETTINGS)
    text = rng.choice(NASTY) if rng.random() < 0.7 else "".join(chr(rng.randrange(1, 0x2FFF)) for _ in range(6))
    try:
        loaded = Settings.load({setting.env: text})
    except ConfigError as exc:
        located = exc.exit_code == 3 and exc.field == setting.env
        return ("refused" if located else "crash"), f"{setting.env}={text!r}: {exc}"[:400]
    except Exception as exc:  # a traceback for the user
        return "crash", f"{setting.env}={text!r}: {type(exc).__name__}: {exc}"[:400]
    if setting.type in ("int", "float"):
        value = loaded.integer(setting.name) if setting.type == "int" else loaded.number(setting.name)
        if not math.isfinite(value):
            return "crash", f"{setting.env}={text!r} gave {value}"
    return "loaded", ""


def campaign(inputs: int, rng: random.Random, limit: float, only: str | None) -> tuple[Counter[str], Any]:
    tally: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    failures: list[str] = []
    peak = 0
    kinds = [only] if only else list(KINDS)
    weights = [SHARE[k] for k in kinds]
    with tempfile.TemporaryDirectory(prefix="nearshore-fuzz-inputs-") as folder:
        pool = multiprocessing.Pool(1, _start, (folder,))
        try:
            for _ in range(inputs):
                kind = rng.choices(kinds, weights)[0]
                seed = rng.randrange(1 << 30)
                job = pool.apply_async(_run, (kind, seed))
                try:
                    result, message, used = job.get(timeout=limit)
                    peak = max(peak, used)
                except multiprocessing.TimeoutError:
                    pool.terminate()
                    pool = multiprocessing.Pool(1, _start, (folder,))
                    result, message = "hang", f"{kind} input {seed}: over {limit:g} s"
                tally[kind][result] += 1
                if result not in ("loaded", "refused") and len(failures) < 50:
                    failures.append(f"{kind}: {message}")
        finally:
            pool.terminate()
    return Counter({k: sum(c.values()) for k, c in tally.items()}), (tally, failures, peak)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=2000, help="inputs to try (default 2000)")
    parser.add_argument("--seed", type=int, default=10, help="random seed, for a campaign that can be repeated")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before an input counts as a hang")
    parser.add_argument("--only", choices=KINDS, help="one kind of input only")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    per_kind, (tally, failures, peak) = campaign(args.inputs, random.Random(args.seed), args.timeout, args.only)
    seconds = time.perf_counter() - start
    print(f"{args.inputs} inputs in {seconds:.0f} s (random seed {args.seed}); peak memory {peak / 1024:.0f} MB")
    labels = (("clean errors", "refused"), ("successes", "loaded"), ("crashes", "crash"), ("hangs", "hang"))
    print(f"  {'':14}" + "".join(f"{k:>12}" for k in KINDS))
    print(f"  {'inputs tried':14}" + "".join(f"{per_kind[k]:>12,}" for k in KINDS))
    for label, key in (*labels, ("memory", "memory")):
        print(f"  {label:14}" + "".join(f"{tally[k][key]:>12,}" for k in KINDS))
    for line in failures:
        print(f"  FAIL {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
