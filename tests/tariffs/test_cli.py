"""`nearshore tariff` commands end to end on a store holding the 2025 Basic Edition."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from nearshore.cli.main import app
from tests.envelope import payload_of, result_of

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["tariff", *args])


def test_schedule_report(env):
    result = run("schedule", "--report", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = payload_of(result.output)
    assert payload["parsed"] == payload["texts"] - 3
    assert {r["hts"] for r in result_of(result.output)["rows"]} == {"2909.19.18.00", "9913.95.01", "9913.95.23"}


def test_duty_json(env):
    result = run(
        "duty", "--hts", "8708.99.81", "--origin", "MX", "--value", "10000", "--date", "2025-06-01", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    payload = payload_of(result.output)
    assert payload["total"] == 2750.0
    assert payload["revision"] == "2025-basic"
    assert [r["heading"] for r in result_of(result.output)["rows"][:-1]] == ["8708.99.81", "9903.01.01"]


def test_duty_errors_exit_2(env):
    result = run("duty", "--hts", "0201.10.10", "--origin", "AU", "--value", "1000", "--date", "2025-06-01")
    assert result.exit_code == 2
    assert "give the quantity in kg" in " ".join(result.output.split())
    result = run("duty", "--hts", "8708.99.81", "--origin", "MX", "--value", "1", "--date", "June 2025")
    assert result.exit_code == 2
    assert "--date 'June 2025' is not a date" in " ".join(result.output.split())


def test_compare_csv(env):
    result = run(
        "compare",
        "--hts",
        "8708.99.81",
        "--value",
        "10000",
        "--origins",
        "MX,CN,US",
        "--date",
        "2025-06-01",
        "--usmca",
        "--freight",
        "MX=150,CN=900",
        "--insurance",
        "20",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("origin,value,duty,duty_rate,mpf,hmf,freight,insurance,landed")
    by_origin = {ln.split(",")[0]: ln.split(",") for ln in lines[1:]}
    # China: duty 5,750, MPF 0.3464% = 34.64, HMF 0.125% = 12.50, freight 900, insurance 20
    assert float(by_origin["CHN"][8]) == pytest.approx(10000 + 5750 + 34.64 + 12.5 + 900 + 20)
    assert float(by_origin["MEX"][4]) == 0.0  # USMCA originating: no MPF


def test_batch_csv_and_json(env, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_text(
        "hts,origin,value,date,usmca\n8708.99.81,MX,10000,2025-06-01,1\n8708.99.81,CN,10000,2025-06-01,\n",
        encoding="utf-8",
    )
    result = run("batch", str(path), "--quiet")
    assert result.exit_code == 0, result.output
    rows = result.output.strip().splitlines()
    assert rows[0] == "row,hts,origin,date,value,duty,effective_rate,layers"
    assert rows[1].split(",")[5] == "0.0"
    assert rows[2].split(",")[5] == "5750.0"
    result = run("batch", str(path), "--format", "json", "--quiet")
    assert result_of(result.output)["rows"][1]["duty"] == 5750.0


def test_policy_show(env):
    result = run("policy", "show", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "ieepa-fentanyl-mex" in {r["measure"] for r in result_of(result.output)["rows"]}


def test_help_has_examples():
    for command in ("schedule", "duty", "compare", "batch"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example: nearshore tariff" in result.output


def test_effective_on_a_hand_built_month(env):
    """One HTS10 line from Mexico in January 2025: $1,000 entered, $400 claiming USMCA (Free), $600 at the
    general 2.5% -> modelled duty $15 (1.5%); Census collected $20 on $1,000 (2%)."""
    from nearshore.data.batch import Batch
    from nearshore.data.snapshot import open_store

    common = {
        "reporter": "USA",
        "partner": "MEX",
        "partner_code": "2010",
        "partner_name": "Mexico",
        "partner_kind": "country",
        "flow": "imports",
        "basis": "consumption",
        "year": 2025,
        "month": 1,
        "quantity": None,
        "unit": None,
    }
    rows = [
        {
            **common,
            "classification": "HS",
            "commodity": "8708998180",
            "level": 10,
            "value_usd": 1000.0,
            "duty_usd": None,
            "program": "ALL",
        },
        {
            **common,
            "classification": "HS",
            "commodity": "8708998180",
            "level": 10,
            "value_usd": 400.0,
            "duty_usd": None,
            "program": "USMCA",
        },
        {
            **common,
            "classification": "TOTAL",
            "commodity": "",
            "level": 0,
            "value_usd": 1000.0,
            "duty_usd": 20.0,
            "program": "ALL",
        },
    ]
    columns = {name: [r[name] for r in rows] for name in rows[0]}
    with open_store() as store:
        store.load(
            Batch.from_columns(
                source="test", target="trade_flows", origin="hand", checksum="-", vintage="2025-03", columns=columns
            )
        )
    result = run("effective", "--partner", "MX", "--year", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    january = result_of(result.output)["rows"][0]
    assert january["period"] == "2025-01"
    assert january["modelled_duty"] == 15
    assert january["modelled_rate"] == pytest.approx(0.015)
    assert january["collected_rate"] == pytest.approx(0.02)
    assert january["gap_points"] == pytest.approx(-0.5)


def test_batch_json_input_errors(env, tmp_path):
    path = tmp_path / "entries.json"
    path.write_text('{"hts": "8708.99.81"}', encoding="utf-8")
    result = run("batch", str(path), "--quiet")
    assert result.exit_code == 2
    assert "expected a list of entry objects" in " ".join(result.output.split())


def test_panel_command(env, tmp_path):
    out = tmp_path / "panel.parquet"
    result = run("panel", "--date", "2025-09-01", "--out", str(out), "--partners", "MX,CN", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result_of(result.output)["rows"][0]["partners"] == 2
    assert out.exists()


def test_effective_claims_option_is_validated(env):
    result = run("effective", "--partner", "MX", "--year", "2025", "--claims", "yearly")
    assert result.exit_code == 2
    assert "--claims 'yearly' is not one of census, monthly, second-half" in " ".join(result.output.split())


def _fits_80_columns(output: str) -> None:
    wide = [line for line in output.splitlines() if len(line) > 80]
    assert not wide, wide
    assert "…" not in output  # no cell cut short


def test_tables_fit_an_80_column_terminal(env):
    # the table layout drops repeated or long columns (legal basis and layers go under the table)
    result = runner.invoke(
        app,
        [
            "tariff",
            "duty",
            "--hts",
            "7326.90.86",
            "--origin",
            "CN",
            "--value",
            "10000",
            "--date",
            "2025-06-10",
            "--metal-value",
            "4000",
        ],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    assert "ieepa-fentanyl-chn (9903.01.24): EO 14228" in result.output
    assert "7,390.0" in result.output
    lines = [ln for ln in result.output.splitlines() if not ln.startswith("│ ieepa-fentanyl")]
    _fits_80_columns("\n".join(lines))  # the longest layer ids may be cut in the table; the footer names them
    result = runner.invoke(
        app,
        [
            "tariff",
            "compare",
            "--hts",
            "8708.99.81",
            "--value",
            "10000",
            "--date",
            "2025-06-01",
            "--usmca",
            "--freight",
            "MX=150,CN=900,VN=850",
        ],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    _fits_80_columns(result.output)
    assert "16,697.14" in result.output  # China: 10,000 + 5,750 duty + 34.64 MPF + 12.50 HMF + 900 freight
    assert "CHN duty: 8708.99.81 2.5%; 9903.01.24 20%; 9903.01.25 10%; 9903.88.03 25%" in result.output


@pytest.mark.slow
def test_effective_on_a_fresh_store_seeded_from_the_snapshot(tmp_path, raw_dir):
    """`tariff effective --partner MEX --year 2025` needs only the embedded snapshot (HTS 2025 + DataWeb HTS10).

    The collected rate is checked against the Census file read here with the csv module:
    census_duties_by_country/census_calculated_duties_can_mex_chn_2018_2025_monthly.csv, MEX rows of 2025,
    sum(calculated_duties_usd) / sum(imports_for_consumption_customs_value_usd) = 3.67%.
    """
    import csv

    env = {"NEARSHORE_DATA_DIR": str(tmp_path), "NEARSHORE_DB": str(tmp_path / "fresh.duckdb"), "COLUMNS": "80"}
    result = runner.invoke(
        app, ["tariff", "effective", "--partner", "MEX", "--year", "2025", "--format", "json"], env=env
    )
    assert result.exit_code == 0, result.output
    payload = payload_of(result.output)
    periods = result_of(result.output)["rows"]
    assert [r["period"] for r in periods] == [f"2025-{m:02d}" for m in range(1, 13)] + ["2025"]
    with (raw_dir / "census_duties_by_country" / "census_calculated_duties_can_mex_chn_2018_2025_monthly.csv").open(
        encoding="utf-8"
    ) as f:
        rows = [r for r in csv.DictReader(f) if r["year"] == "2025" and r["country_code_iso3"] == "MEX"]
    collected = sum(float(r["calculated_duties_usd"]) for r in rows) / sum(
        float(r["imports_for_consumption_customs_value_usd"]) for r in rows
    )
    assert payload["collected_rate"] == pytest.approx(collected, abs=1e-6)
    # modelled (docs/tariffs.md): 5.85% with claims calibrated to the Census USMCA series (the default; 8.65% with
    # DataWeb's monthly claims); before March it matches collected within 0.02 pt
    assert payload["claims"] == "census"
    assert payload["modelled_rate"] == pytest.approx(0.0585, abs=0.0005)
    assert abs(periods[0]["gap_points"]) <= 0.02
    result = runner.invoke(app, ["tariff", "effective", "--partner", "MEX", "--year", "2025"], env=env)
    assert result.exit_code == 0, result.output
    _fits_80_columns(result.output)
    assert "│ 2025    │ 530,725    │ 79.8%       │ 5.85%    │ 3.67%     │ +2.18   │" in result.output


def test_panel_into_a_missing_folder_is_a_clear_error(env, tmp_path):
    out = tmp_path / "no-such-folder" / "panel.parquet"
    result = run("panel", "--date", "2025-09-01", "--out", str(out), "--partners", "MX")
    assert result.exit_code == 2
    assert (
        f"--out {out}: the folder {out.parent} does not exist; create it or write the panel into an existing folder"
    ) in " ".join(result.output.split())


def test_policy_and_panel_tables_fit_80_columns(env, tmp_path):
    result = runner.invoke(app, ["tariff", "policy", "show"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    _fits_80_columns(result.output)
    assert "│ ieepa-fentanyl-mex         │ MEX       │ 25% from 2025-03-04" in result.output
    assert "│ 9903.01.01                 │" in result.output
    out = tmp_path / "p.parquet"
    result = runner.invoke(
        app, ["tariff", "panel", "--date", "2025-09-01", "--out", str(out), "--partners", "MX"], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    assert "│ lines    │ 19613 " in result.output


def test_compare_input_checks(env):
    base = ["compare", "--hts", "8708.99.81", "--value", "1000", "--date", "2025-06-01"]
    result = run(*base, "--origins", "")
    assert result.exit_code == 2
    assert "--origins '' names no origin; give comma-separated origins, e.g. MX,CN,VN,US" in result.output
    result = run(*base, "--origins", "CN", "--freight=-10")
    assert result.exit_code == 2
    assert "--freight '-10': an amount is negative; give the cost in U.S. dollars (0 or more)" in " ".join(
        result.output.split()
    )
    result = run(*base, "--origins", "MX,CN", "--insurance=MEX=10")
    assert result.exit_code == 2
    assert (
        "--insurance names origins not in --origins: MEX; write them as in --origins (MX,CN) or add them there"
    ) in " ".join(result.output.split())
    result = run(*base, "--origins", "MX,CN,MX", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert [ln.split(",")[0] for ln in result.output.strip().splitlines()[1:]] == ["MEX", "CHN"]  # once each


def test_batch_with_a_header_and_no_lines(env, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_text("hts,origin,value,date\n", encoding="utf-8")
    result = run("batch", str(path), "--quiet")
    assert result.exit_code == 2
    assert f"{path}: no entry lines. add one line per entry (hts, origin, value, date)" in " ".join(
        result.output.split()
    )
    path.write_text("a,b\n", encoding="utf-8")
    result = run("batch", str(path), "--quiet")
    assert "column 'hts': required column missing" in " ".join(result.output.split())


def test_policy_build_on_the_wrong_file(env, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("SUBCHAPTER II\n", encoding="utf-8")
    result = run("policy", "build", str(path))
    assert result.exit_code == 2
    assert (
        f"{path}: no 'SUBCHAPTER III' line, so it is not the HTSUS Chapter 99 text; give "
        "../shared/data/raw/yale_budget_lab_tariff_resources/chapter99_2026_rev_6.txt.gz"
        in " ".join(result.output.split())
    )


def test_compare_states_the_mpf_basis_of_every_origin(env):
    # with USMCA-exempt Mexico beside China, the notes must not claim the exemption for China
    result = run(
        "compare",
        "--hts",
        "8708.99.81",
        "--value",
        "10000",
        "--origins",
        "MX,CN",
        "--date",
        "2025-06-01",
        "--usmca",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    notes = result_of(result.output)["notes"]
    assert any(n.startswith("MPF (MEX): USMCA originating: exempt") for n in notes)
    assert any(n.startswith("MPF (CHN): 0.3464% of value, min $32.71, max $634.62") for n in notes)


def test_batch_table_fits_80_columns_and_de_minimis_is_said(env, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_text(
        "hts,origin,value,date\n8708.99.81.80,MX,10000,2025-06-01\n7326.90.86,CN,1000000,2025-09-01\n"
        "6109.10.00,VN,500,2025-06-01\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["tariff", "batch", str(path), "--format", "table", "--quiet"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    _fits_80_columns(result.output)
    # China, 2025-09-01, no metal value given: 2.9% + fentanyl 20% + 232 steel 50% on the full value + 301 25%
    assert "│   3 │ 7326.90.86    │ CN     │ 2025-09-01 │ 1,000,000 │ 979,000 │ 97.90% │" in result.output
    result = run("batch", str(path), "--quiet")
    # 6109.10.00 from Vietnam, $500 on 2025-06-01: admitted free under de minimis (19 U.S.C. 1321) although the
    # line's rates are 16.5% + 10%; the layers say why the duty is 0
    last = result.output.strip().splitlines()[3]
    assert last == (
        "4,6109.10.00,VN,2025-06-01,500.0,0.0,0.0,base 16.5%; ieepa-reciprocal 10%; de minimis ($800): admitted free"
    )


def test_schedule_load_takes_the_vintage(tmp_path):
    # the loader's warning asks for --vintage: `tariff schedule --load` accepts it
    path = tmp_path / "hts_2025_revision_8.json"
    path.write_text(
        '[{"htsno": "0101.21.00", "indent": "1", "description": "Horses", "general": "Free", '
        '"special": "", "other": "20%"}]',
        encoding="utf-8",
    )
    env = {"NEARSHORE_DATA_DIR": str(tmp_path), "NEARSHORE_DB": str(tmp_path / "s.duckdb")}
    result = runner.invoke(
        app, ["tariff", "schedule", "--load", str(path), "--vintage", "2025-06", "--format", "json"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "no --vintage given" not in result.output
    assert payload_of(result.output[result.output.index("{") :])["revision"] == "2025-rev-8"
    result = runner.invoke(app, ["tariff", "schedule", "--load", str(path)], env=env)
    assert "no --vintage given; using 2025-01" in " ".join(result.output.split())
