from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nearshore.scenarios.gravity.panel import Panel, unordered_pairs

DATA = Path(__file__).resolve().parent.parent / "data" / "scenarios" / "gravity"
GUIDE_PANEL = ("gravity_agtpa_panel", "agtpa_applications_1986_2006.csv.gz")
GEGRAVITY_SAMPLE = ("gravity_gegravity_sample", "sample_data_set.csv")
GUIDE_YEARS = tuple(range(1986, 2007, 4))


@pytest.fixture
def guide_panel_path(raw_dir: Path) -> Path:
    """The panel of Yotov et al. (2016), 69 countries 1986-2006 (../shared)."""
    return raw_dir.joinpath(*GUIDE_PANEL)


@pytest.fixture
def sample_path(raw_dir: Path) -> Path:
    """gegravity's sample: 30 countries, 2006, with output and expenditure columns (../shared)."""
    return raw_dir.joinpath(*GEGRAVITY_SAMPLE)


def synthetic_panel(countries: int = 6, years: tuple[int, ...] = (2000,), seed: int = 7, noise: bool = True) -> Panel:
    """A square gravity panel (domestic flows included) drawn from a known model: trade = exp(fe_i + fe_j
    - 0.9 ln dist + 0.5 rta - 2 border), with Poisson-like noise when `noise`."""
    rng = np.random.default_rng(seed)
    codes = [f"C{k:02d}" for k in range(countries)]
    location = rng.uniform(0, 50, size=(countries, 2))
    size = rng.uniform(1, 4, size=countries)
    rows: dict[str, list[Any]] = {k: [] for k in ("exporter", "importer", "year", "trade", "dist", "rta", "border")}
    for year in years:
        for i, exporter in enumerate(codes):
            for j, importer in enumerate(codes):
                distance = float(np.hypot(*(location[i] - location[j]))) + 1.0
                rta = float(i != j and (i + j) % 3 == 0 and year >= years[0])
                border = float(i != j)
                mean = np.exp(size[i] + size[j] - 0.9 * np.log(distance) + 0.5 * rta - 2.0 * border + 3.0)
                value = rng.gamma(4.0, mean / 4.0) if noise else mean
                rows["exporter"].append(exporter)
                rows["importer"].append(importer)
                rows["year"].append(year)
                rows["trade"].append(value)
                rows["dist"].append(distance)
                rows["rta"].append(rta)
                rows["border"].append(border)
    exporters = np.array(rows["exporter"])
    importers = np.array(rows["importer"])
    return Panel(
        exporter=exporters,
        importer=importers,
        year=np.array(rows["year"], dtype=np.int64),
        trade=np.array(rows["trade"]),
        pair=unordered_pairs(exporters, importers),
        variables={k: np.array(rows[k], dtype=np.float64) for k in ("dist", "rta", "border")},
        origin="synthetic",
    )


def write_panel(panel: Panel, path: Path) -> Path:
    """The panel as a CSV file with columns exporter, importer, year, trade and its variables."""
    names = ["exporter", "importer", "year", "trade", *panel.variables]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for k in range(len(panel)):
            values = [panel.exporter[k], panel.importer[k], int(panel.year[k]), repr(float(panel.trade[k]))]
            writer.writerow(values + [repr(float(v[k])) for v in panel.variables.values()])
    return path
