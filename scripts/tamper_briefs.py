"""The verifier's whole adversarial set: every tampered brief the tests' tamperer makes from the real briefs
(us-mexico, us-canada and north-america for 2024 and 2025, composed from the embedded snapshot), in Markdown
and HTML, and PDFs drawn from tampered drafts; each must be caught. The test suite runs a sample of it
(tests/writer/test_verifier_adversarial.py).

    python scripts/tamper_briefs.py               # every Markdown/HTML edit, one PDF per kind and brief
    python scripts/tamper_briefs.py --pdf 0       # no PDFs (drawing one takes about a second)

Prints the count caught / tried by kind and format, every edit that passed, and exits 1 if any did. Inside the
timing: tampering and verifying. Outside: composing the six briefs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nearshore.writer.verifier import verify_document, verify_pdf  # noqa: E402
from tests.writer.real_briefs import real_briefs  # noqa: E402
from tests.writer.tampering import apparatus_tampers, draft_tampers, prose_tampers  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdf", type=int, default=1, help="PDFs per kind of edit and brief (default 1)")
    args = parser.parse_args(argv)
    briefs = real_briefs()
    start = time.perf_counter()
    tried, caught, missed = Counter[tuple[str, str]](), Counter[tuple[str, str]](), []
    for brief in briefs:
        for fmt in ("md", "html"):
            text = getattr(brief, fmt)
            for tamper in [*prose_tampers(text, fmt), *apparatus_tampers(text, fmt)]:
                tried[tamper.kind, fmt] += 1
                if verify_document(tamper.text, fmt, brief.facts, brief.name).ok:
                    missed.append(f"{brief.name}.{fmt} {tamper.kind}: {tamper.what}")
                else:
                    caught[tamper.kind, fmt] += 1
        drawn = Counter[str]()
        for kind, what, draft in draft_tampers(brief.draft):
            if drawn[kind] >= args.pdf:
                continue
            drawn[kind] += 1
            tried[kind, "pdf"] += 1
            if verify_pdf(brief.pdf(draft, charts=()), brief.facts, brief.name).ok:
                missed.append(f"{brief.name}.pdf {kind}: {what}")
            else:
                caught[kind, "pdf"] += 1
    seconds = time.perf_counter() - start
    print(f"{len(briefs)} real briefs, {sum(tried.values())} tampered briefs in {seconds:.0f} s")
    for kind in sorted({k for k, _ in tried}):
        cells = [f"{fmt} {caught[kind, fmt]}/{tried[kind, fmt]}" for fmt in ("md", "html", "pdf") if tried[kind, fmt]]
        print(f"  {kind:12} {'  '.join(cells)}")
    print(f"  {'all':12} {sum(caught.values())}/{sum(tried.values())} caught")
    for line in missed:
        print(f"  PASSED (not caught): {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
