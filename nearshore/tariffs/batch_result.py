"""What the batch (`batch.py`) gives: each row's duty and the groups' layers text, built on demand."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nearshore.tariffs.batch_keys import distinct_rows, factorize
from nearshore.tariffs.duty import BASIS_LABELS, percent
from nearshore.tariffs.entries import Floats
from nearshore.tariffs.vector import KIND_CODES
from nearshore.tariffs.vector import KINDS as VKINDS


@dataclass(frozen=True)
class BatchResult:
    duty: Floats
    group: npt.NDArray[np.int64]  # group index of each row
    groups: int
    revision: str
    policy_version: str
    texts: dict[int, str]  # by group, for the groups rated one at a time (the others are rated by context)
    contexts: list[Context]
    base_texts: list[str]  # the base texts of per-unit lines rated by context (Context.text indexes them)

    def layers(self) -> list[str]:
        """Per group: "base 2.5%; ieepa-fentanyl-mex 25%" (built on demand: it is the slow part)."""
        texts, index = self.text_index()
        return [texts[i] for i in index]

    def text_index(self) -> tuple[list[str], npt.NDArray[np.int64]]:
        """The distinct layer texts, and each group's index into them. A context's text is its base part and the
        part of its other layers: each is made once per distinct value, and joined once per distinct pair."""
        ids: dict[str, int] = {}
        index = np.zeros(self.groups, dtype=np.int64)
        for g, own in sorted(self.texts.items()):  # rated one group at a time; the others are set by context below
            index[g] = ids.setdefault(own, len(ids))
        parts: dict[tuple[str, float, float], str] = {}  # a layer's text, by its name, rate and basis kind
        bases: dict[float, str] = {}  # a base part, by its key (_base_keys)
        for gs, base, text, summary in self.contexts:
            keys, key_of = np.unique(_base_keys(base, text), return_inverse=True)
            table, names = _text_table(summary, len(gs))
            rest_of, rest = distinct_rows(table)
            pair, firsts = factorize(key_of.reshape(-1) * len(rest) + rest_of)
            base_text = [_base_part(k, self.base_texts, bases) for k in keys.tolist()]
            rest_text = [_rest_part(row, names, parts) for row in rest]
            found = np.zeros(len(firsts), dtype=np.int64)
            for p in np.argsort(firsts).tolist():  # numbered in order of first appearance
                first = firsts[p]
                found[p] = ids.setdefault(base_text[key_of[first]] + rest_text[rest_of[first]], len(ids))
            index[gs] = found[pair]
        return list(ids), index

    @property
    def layer_text(self) -> list[str]:
        texts = self.layers()
        return [texts[g] for g in self.group]


# A context's groups rated together: (groups, base ad valorem rate, index into base_texts or -1, and per layer its
# measure, rate and basis kind code)
Context = tuple[npt.NDArray[np.int64], Floats, Floats, list[tuple[str, Floats, npt.NDArray[np.int8]]]]


def _base_keys(base: Floats, text: Floats) -> Floats:
    """Per group, what its base part shows: its base text's index (>= 0), or -1 - its ad valorem base rate."""
    return np.where(text >= 0, text, -1.0 - base)


def _base_part(key: float, base_texts: list[str], made: dict[float, str]) -> str:
    """The base part of a layers text ('base 2.5%', or a per-unit base's text) for a `_base_keys` value."""
    if key >= 0:
        return base_texts[int(key)]
    if key not in made:
        made[key] = f"base {percent(-1.0 - key)}"
    return made[key]


def _text_table(summary: list[tuple[str, Floats, npt.NDArray[np.int8]]], n: int) -> tuple[Floats, tuple[str, ...]]:
    """The columns `_rest_part` reads (each shown layer's rate and basis kind, for `n` groups) and the layers'
    names, with a layer shown on no group left out and a layer's rate and kind set to one value where it is not
    shown, so that equal texts have equal rows."""
    none = KIND_CODES["none"]
    columns, names = [], []
    for name, rate, kind in summary:
        shown = (rate != 0) & (kind != none)
        if shown.any():
            columns += [np.where(shown, rate, 0.0), np.where(shown, kind, none).astype(np.float64)]
            names.append(name)
    return (np.column_stack(columns) if columns else np.zeros((n, 0))), tuple(names)


def _rest_part(row: list[float], names: tuple[str, ...], parts: dict[tuple[str, float, float], str]) -> str:
    """The layers after the base, each '; name rate' (`row`: each layer's rate and basis kind); `parts` keeps
    each layer's text once made."""
    none = KIND_CODES["none"]
    out = []
    for k, name in enumerate(names):
        rate, kind = row[2 * k], row[2 * k + 1]
        if rate and int(kind) != none:
            key = (name, rate, kind)
            if key not in parts:
                parts[key] = layer_text(name, percent(rate), VKINDS[int(kind)])
            out.append("; " + parts[key])
    return "".join(out)


def layer_text(name: str, rate: str, basis: str) -> str:
    """'ieepa-fentanyl-mex 25%', 's232-steel 50% on metal value': one layer of a line's duty, as `layers` shows."""
    return f"{name} {rate}" + ("" if basis in ("value", "quantity") else f" on {BASIS_LABELS[basis]}")


__all__ = ["BatchResult", "Context", "layer_text"]
