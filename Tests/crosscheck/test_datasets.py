"""The sample and the generator: every file loads with its schema, generation is deterministic,
and the exports refer to each other consistently. Checked with Python's csv module."""
import csv
import hashlib
import io

import duckdb
import pytest

from conftest import ROOT
from test_duckdb_crosscheck import assert_same, duckdb_pass_rate

SAMPLE = ROOT / "Datasets" / "sample"
SCHEMAS = ["cases", "survey", "roster", "tests", "competition", "acceptance", "candidates", "risk_catalog"]
SAMPLE_ROWS = {"cases": 65, "survey": 434, "roster": 63, "tests": 71, "competition": 6, "acceptance": 25, "candidates": 32,
               "risk_catalog": 10}


def read(path, encoding="utf-8-sig"):
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("schema", SCHEMAS)
def test_sample_file_loads_with_its_schema_and_no_rejects(pingcha, schema):
    path = SAMPLE / f"{schema}.csv"
    provenance = pingcha.json("describe", str(path), "--schema", schema)["provenance"]
    source = provenance["inputs"][0]
    assert source["rejected"] == 0
    assert source["rows"] == SAMPLE_ROWS[schema] == len(read(path))
    assert provenance["rules"]["schema"] == schema
    # Detected from the headers alone as well.
    assert pingcha.json("describe", str(path))["provenance"]["rules"]["schema"] == schema


def test_sample_references_are_consistent():
    roster = {row["证件号"] for row in read(SAMPLE / "roster.csv")}
    assert {row["证件号"] for row in read(SAMPLE / "tests.csv")} <= roster
    assert {row["证件号"] for row in read(SAMPLE / "candidates.csv") if row["证件号"]} <= roster
    case_units = {row["执法单位"] for row in read(SAMPLE / "cases.csv")}
    assert {row["执法单位"] for row in read(SAMPLE / "survey.csv")} == case_units
    assert len({row["案卷编号"] for row in read(SAMPLE / "cases.csv")}) == 65


def test_sample_gb18030_twin_is_the_same_text():
    assert (SAMPLE / "cases.gb18030.csv").read_bytes().decode("gb18030") == (SAMPLE / "cases.csv").read_text(encoding="utf-8")


def generate(pingcha, directory, *extra, cases=30000, seed=5):
    pingcha("generate", "--cases", str(cases), "--seed", str(seed), "--officers", "3000", "--out", str(directory), *extra)
    return {schema: directory / f"{schema}.csv" for schema in SCHEMAS}


def digests(files):
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files.items()}


def test_generation_is_deterministic(pingcha, tmp_path):
    first = digests(generate(pingcha, tmp_path / "a"))
    second = digests(generate(pingcha, tmp_path / "b"))
    assert first == second
    other = digests(generate(pingcha, tmp_path / "c", seed=6))
    assert other["cases"] != first["cases"]


def test_generated_exports_refer_to_each_other(pingcha, tmp_path):
    files = generate(pingcha, tmp_path / "p")
    roster_rows = read(files["roster"])
    roster = {row["证件号"] for row in roster_rows}
    assert len(roster) == len(roster_rows)
    assert {row["证件号"] for row in read(files["tests"])} <= roster
    assert {row["证件号"] for row in read(files["candidates"]) if row["证件号"]} <= roster
    cases = read(files["cases"])
    assert len(cases) == 30000
    assert len({row["案卷编号"] for row in cases}) == 30000
    case_units = {row["执法单位"] for row in cases}
    assert {row["执法单位"] for row in read(files["survey"])} <= case_units
    all_units = {row["执法单位"] for row in roster_rows}
    assert {row["申报单位"] for row in read(files["acceptance"])} <= all_units
    teams = [row["参赛队伍"] for row in read(files["competition"])]
    assert len(teams) == 58 and teams[:18][-1] == "济源示范区"
    for schema, path in files.items():
        source = pingcha.json("describe", str(path), "--schema", schema)["provenance"]["inputs"][0]
        assert source["rejected"] == 0, schema
    # The catalog has one entry per violation, and every violation the cases name is in it.
    catalog = [row["违法行为"] for row in read(files["risk_catalog"])]
    assert len(catalog) == len(set(catalog))
    assert {row["违法行为"] for row in cases} <= set(catalog)
    published = pingcha.json("risk", str(files["cases"]), "--catalog", str(files["risk_catalog"]))
    assert published["missing_from_catalog"] == []
    assert all(row["in_catalog"] for row in published["published"])


def test_generated_shape_is_a_province(pingcha, tmp_path):
    files = generate(pingcha, tmp_path / "shape", cases=20000)
    roster = read(files["roster"])
    levels = {}
    for row in roster:
        levels.setdefault(row["单位层级"], set()).add(row["执法单位"])
    assert len(levels["省直"]) == 40
    assert len(levels["市级"]) == 18 * 12
    assert len(levels["县级"]) == 156 * 12
    assert 2000 <= len(levels["乡镇"]) // 2 <= 2800
    cities = {row["省辖市"] for row in roster} - {"省直"}
    assert len(cities) == 18
    scores = [float(row["评查得分"]) for row in read(files["cases"])]
    failing = sum(score < 70 for score in scores) / len(scores)
    assert 0.005 < failing < 0.08
    assert 0.6 < sum(75 <= score <= 95 for score in scores) / len(scores)


def test_messy_file_loads_and_matches_duckdb(pingcha, tmp_path):
    files = generate(pingcha, tmp_path / "messy", "--messy", cases=40000)
    raw = files["cases"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b'"' in raw
    assert any("\n" in row["违法行为"] for row in read(files["cases"]))
    result = pingcha.json("cases", "pass-rate", str(files["cases"]), "--by", "unit")
    assert result["provenance"]["inputs"][0]["rows"] == 40000
    assert result["provenance"]["inputs"][0]["rejected"] == 0
    assert_same(result["rows"], duckdb_pass_rate(files["cases"], "执法单位"), "unit")


def test_gb18030_generation_is_the_utf8_text(pingcha, tmp_path):
    utf8 = generate(pingcha, tmp_path / "u", cases=5000)
    gb = generate(pingcha, tmp_path / "g", "--encoding", "gb18030", cases=5000)
    for schema in SCHEMAS:
        assert gb[schema].read_bytes().decode("gb18030") == utf8[schema].read_text(encoding="utf-8")
    described = pingcha.json("cases", "pass-rate", str(gb["cases"]), "--by", "unit")
    assert described["provenance"]["inputs"][0]["encoding"] == "gb18030"
    assert described["rows"] == pingcha.json("cases", "pass-rate", str(utf8["cases"]), "--by", "unit")["rows"]
