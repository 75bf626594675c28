"""The LLM writer against a real model: what survives the verifier, and what it costs.

For each topic the brief is composed from the embedded snapshot (in a throwaway store) and written twice
through `produce_brief`, the path of `nearshore brief`: once with the LLM writer (every section streamed from
the model, verified, re-prompted with the verifier's findings, else replaced by the template text) and once
with the template writer, the baseline. By default the model is SmolLM2-135M-Instruct served here by
`nearshore llm serve-local` (started before the timing); --base-url and --model measure any OpenAI-compatible
endpoint instead.

Printed per topic:
  sentences  share of model-drafted sentences that pass the verifier, and that pass while citing a fact: in
             first drafts, and in the last draft of each re-prompted section (after re-prompting)
  sections   verified at the first attempt, verified after re-prompting, fallback to the template; and the
             fallback rate per section id over all topics
  errors     problems caught in rejected drafts, by kind: wrong figure, wrong direction, uncited number,
             invented entity, form (links, HTML), no usable answer (empty, cut off, timed out, malformed)
  cost       seconds and tokens per brief (prompt + completion, '~' when the server reported none), and the
             ratio of the LLM brief's time to the template brief's (the baseline, run alongside)

Inside the timing: producing the brief (writing, verifying, rendering Markdown). Outside: the store, the facts,
starting the server.

Run: python -m benchmarks.llm_bench [--topics us-mexico,us-canada,north-america] [--attempts 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

from nearshore.settings import Settings
from nearshore.writer.compose import TOPICS, compose_brief
from nearshore.writer.facts import FactTable
from nearshore.writer.figures import SentenceEnd, tokens
from nearshore.writer.llm import Usage
from nearshore.writer.llm_writer import LLMRun
from nearshore.writer.pipeline import produce_brief
from nearshore.writer.verifier import verify_text

KINDS = {
    "wrong figure": ("mismatch", "scale", "wrong-unit"),
    "wrong direction": ("direction",),
    "uncited number": ("uncited", "no-citation", "year", "year-as-value"),
    "invented entity": ("unknown-fact",),
    "form": ("form",),
    "no usable answer": ("empty", "cut-off", "timeout", "malformed", "too-long"),
}


def sentences(text: str) -> list[str]:
    """The sentences of a draft, split where the verifier ends them (paragraphs never join)."""
    out = []
    for block in text.split("\n\n"):
        start = 0
        for token in tokens(block):
            if isinstance(token, SentenceEnd):
                out.append(block[start : token.offset + 1])
                start = token.offset + 1
        out.append(block[start:])
    return [s.strip() for s in out if s.strip()]


@dataclass
class Tally:
    """Sentences that pass the verifier, and those that pass while citing a fact (verified information), over
    all sentences drafted."""

    passed: int = 0
    citing: int = 0
    total: int = 0

    def add(self, text: str, facts: FactTable) -> None:
        for sentence in sentences(text):
            report = verify_text(sentence, facts)
            self.passed += report.ok
            self.citing += report.ok and bool(report.cited)
            self.total += 1

    def __str__(self) -> str:
        return f"{_share(self.passed, self.total)} pass, {_share(self.citing, self.total)} pass citing a fact"


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.0f}%" if whole else "0/0"


@dataclass
class TopicResult:
    topic: str
    first: Tally = field(default_factory=Tally)
    reprompted: Tally = field(default_factory=Tally)
    sections: Counter[str] = field(default_factory=Counter)
    fallbacks: Counter[str] = field(default_factory=Counter)
    section_ids: list[str] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    usage: Usage = field(default_factory=Usage)
    llm_seconds: float = 0.0
    template_seconds: float = 0.0

    def take(self, run: LLMRun, facts: FactTable) -> None:
        for outcome in run.outcomes:
            self.section_ids.append(outcome.section)
            drafts = outcome.drafts
            if drafts and drafts[0].text:
                self.first.add(drafts[0].text, facts)
            if len(drafts) > 1 and drafts[-1].text:
                self.reprompted.add(drafts[-1].text, facts)
            if outcome.writer == "template":
                self.sections["fallback"] += 1
                self.fallbacks[outcome.section] += 1
            else:
                self.sections["first try" if outcome.attempts == 1 else "after re-prompt"] += 1
            for draft in drafts:
                for kind in dict.fromkeys(draft.kinds):  # one count per kind per draft
                    self.errors[next((k for k, v in KINDS.items() if kind in v), kind)] += 1
        self.usage = run.usage

    def lines(self) -> list[str]:
        n = len(self.section_ids)
        errors = ", ".join(f"{k} {self.errors[k]}" for k in (*KINDS, *sorted(set(self.errors) - set(KINDS))))
        return [
            f"{self.topic}: {n} sections",
            f"  sentences passing, first drafts:        {self.first}",
            f"  sentences passing, after re-prompting:  {self.reprompted}",
            f"  sections: verified first try {self.sections['first try']}, after re-prompt "
            f"{self.sections['after re-prompt']}, fallback {_share(self.sections['fallback'], n)}",
            f"  errors caught (drafts with each kind): {errors}",
            f"  per brief: {self.llm_seconds:.1f} s, {self.usage}; template writer {self.template_seconds:.2f} s "
            f"(ratio {self.llm_seconds / self.template_seconds:.0f}x)",
        ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def endpoint(args: argparse.Namespace, stack: ExitStack, tmp: Path) -> dict[str, str]:
    """Settings for the model: the given endpoint, or a local server started here."""
    if args.base_url:
        return {
            "NEARSHORE_LLM_BASE_URL": args.base_url,
            "NEARSHORE_LLM_MODEL": args.model,
            "NEARSHORE_LLM_CONTEXT": str(args.context),
            "NEARSHORE_LLM_MAX_TOKENS": str(args.max_tokens),
        }
    from nearshore.writer.local_server import LocalModel, LocalServer

    model = LocalModel.from_settings(Settings.load(env={}), port=free_port(), threads=args.threads)
    started = time.perf_counter()
    stack.enter_context(LocalServer(model, tmp / "server.log"))
    print(
        f"local server: {model.path.name}, context {model.context}, {model.threads} thread(s), "
        f"up in {time.perf_counter() - started:.1f} s (outside the timing)"
    )
    return model.environment()


def measure(topic: str, env: dict[str, str], tmp: Path) -> TopicResult:
    from nearshore.data.snapshot import open_store

    settings = Settings.load(env=env)
    with open_store(settings) as store:
        comp = compose_brief(store, topic)
    result = TopicResult(topic)
    started = time.perf_counter()
    produce_brief(comp.outline, comp.facts, (), tmp / "template", comp.name, ("md",), "template", settings=settings)
    result.template_seconds = time.perf_counter() - started
    started = time.perf_counter()
    brief = produce_brief(comp.outline, comp.facts, (), tmp / "llm", comp.name, ("md",), "llm", settings=settings)
    result.llm_seconds = time.perf_counter() - started
    assert brief.llm is not None
    years = tuple(sorted(set(comp.facts.allowed_years) | set(comp.outline.allowed_years)))
    result.take(brief.llm, replace(comp.facts, allowed_years=years))  # the years the writer allowed
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure what an LLM's drafts survive of the verifier.")
    parser.add_argument("--topics", default=",".join(TOPICS), help="comma list (default: all three)")
    parser.add_argument("--attempts", type=int, default=3, help="drafts per section (llm_attempts)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds for one reply (llm_timeout)")
    parser.add_argument("--threads", type=int, default=None, help="local server CPU threads (default: all)")
    parser.add_argument("--base-url", default="", help="an OpenAI-compatible endpoint instead of the local model")
    parser.add_argument("--model", default="", help="its model name (with --base-url)")
    parser.add_argument("--context", type=int, default=32768, help="its context window (with --base-url)")
    parser.add_argument("--max-tokens", type=int, default=4096, help="reply cap (with --base-url)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="nearshore-llm-bench-") as name, ExitStack() as stack:
        tmp = Path(name)
        env = {
            **endpoint(args, stack, tmp),
            "NEARSHORE_DATA_DIR": str(tmp),
            "NEARSHORE_DB": str(tmp / "store.duckdb"),
            "NEARSHORE_LLM_ATTEMPTS": str(args.attempts),
            "NEARSHORE_LLM_TIMEOUT": str(args.timeout),
            "NEARSHORE_LLM_RETRIES": "1",
        }
        key = os.environ.get("NEARSHORE_LLM_API_KEY", "")
        if args.base_url and key:
            env["NEARSHORE_LLM_API_KEY"] = key
        for topic in args.topics.split(","):
            result = measure(topic.strip(), env, tmp / topic)
            print("\n".join(result.lines()), flush=True)
            results.append(result)
    summary(results, args.json)


def summary(results: list[TopicResult], json_path: Path | None) -> None:
    ids = Counter(i for r in results for i in r.section_ids)
    fallbacks = sum((r.fallbacks for r in results), Counter[str]())
    print("fallback rate per section: " + ", ".join(f"{i} {_share(fallbacks[i], n)}" for i, n in ids.items()))
    if json_path is not None:
        payload = [
            {
                "topic": r.topic,
                "sentences_first": vars(r.first),
                "sentences_after_reprompt": vars(r.reprompted),
                "sections": dict(r.sections),
                "fallbacks": dict(r.fallbacks),
                "errors": dict(r.errors),
                "prompt_tokens": r.usage.prompt_tokens,
                "completion_tokens": r.usage.completion_tokens,
                "tokens_exact": r.usage.exact,
                "llm_seconds": round(r.llm_seconds, 2),
                "template_seconds": round(r.template_seconds, 3),
            }
            for r in results
        ]
        json_path.write_text(json.dumps(payload, indent=2) + "\n")


if __name__ == "__main__":
    main()
