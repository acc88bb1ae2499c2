"""pingcha's figures against DuckDB's on the same files.

DuckDB reads the CSV itself and computes every figure with SQL; the only thing shared with
pingcha is the file. Floats agree to 1e-9.
"""
import csv
import os
import random

import duckdb
import pytest

from conftest import ROOT

SAMPLE = ROOT / "Datasets" / "sample" / "cases.csv"
GROUP_COLUMNS = {"unit": "执法单位", "county": "县区", "level": "单位层级", "sector": "执法领域", "review_year": "评查年度"}


def duckdb_pass_rate(path, group_header, where="true", threshold=70.0):
    sql = f"""
        SELECT "{group_header}" AS k, count(*) AS cases,
               sum(CASE WHEN 评查得分 < {threshold} THEN 1 ELSE 0 END) AS unqualified,
               avg(CASE WHEN 评查得分 >= {threshold} THEN 1.0 ELSE 0.0 END) AS pass_rate,
               avg(评查得分) AS mean_score, median(评查得分) AS median_score, min(评查得分) AS min_score,
               sum(CASE WHEN 评查得分 >= 90 THEN 1 ELSE 0 END) AS excellent
        FROM read_csv('{path}', header = true, all_varchar = false, types = {{'县区': 'VARCHAR', '评查得分': 'DOUBLE'}})
        WHERE {where}
        GROUP BY ALL
    """
    rows = duckdb.sql(sql).fetchall()
    result = {}
    for k, cases, unqualified, pass_rate, mean, median, minimum, excellent in rows:
        result[k] = dict(cases=cases, unqualified=unqualified, pass_rate=pass_rate, mean_score=mean,
                         median_score=median, min_score=minimum, excellent=excellent,
                         qualified=cases - unqualified - excellent)
    # Competition rank by pass rate, ties sharing a rank.
    ordered = sorted(result.items(), key=lambda item: -item[1]["pass_rate"])
    for position, (key, figures) in enumerate(ordered):
        if position and abs(ordered[position - 1][1]["pass_rate"] - figures["pass_rate"]) < 1e-15:
            figures["rank"] = ordered[position - 1][1]["rank"]
        else:
            figures["rank"] = position + 1
    return result


def assert_same(pingcha_rows, expected, key):
    assert len(pingcha_rows) == len(expected)
    for row in pingcha_rows:
        group = row[key]
        if key == "review_year" and group is not None:
            group = int(group)
        figures = expected[group]
        for name, value in figures.items():
            assert row[name] == pytest.approx(value, rel=1e-9, abs=1e-9), (group, name, row[name], value)


@pytest.mark.parametrize("alias", sorted(GROUP_COLUMNS))
def test_sample_matches_duckdb(pingcha, alias):
    rows = pingcha.json("cases", "pass-rate", str(SAMPLE), "--by", alias)["rows"]
    assert_same(rows, duckdb_pass_rate(SAMPLE, GROUP_COLUMNS[alias]), alias)


def test_sample_with_filter_matches_duckdb(pingcha):
    where = "评查年度 = 2024 and 执法领域 = '市场监管'"
    rows = pingcha.json("cases", "pass-rate", str(SAMPLE), "--by", "unit", "--where", where)["rows"]
    assert_same(rows, duckdb_pass_rate(SAMPLE, "执法单位", where), "unit")


def test_gb18030_twin_matches_duckdb_on_utf8(pingcha):
    rows = pingcha.json("cases", "pass-rate", str(ROOT / "Datasets" / "sample" / "cases.gb18030.csv"), "--by", "unit")["rows"]
    assert_same(rows, duckdb_pass_rate(SAMPLE, "执法单位"), "unit")


def write_random_cases(path, rows, seed):
    """A random cases export written by Python's csv module: skewed units, quoted commas, CRLF."""
    rng = random.Random(seed)
    units = [f"第{n}执法单位" for n in range(1, 400)]
    weights = [1.0 / (rank ** 0.8) for rank in range(1, len(units) + 1)]
    counties = ["舞阳县", "临颍县", "郾城区", "", "源汇区"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["案卷编号", "县区", "执法单位", "违法行为", "评查得分", "评查年度"])
        for index in range(rows):
            unit_index = rng.choices(range(len(units)), weights)[0]
            bad_unit = unit_index % 17 == 0
            score = rng.gauss(72 if bad_unit else 85, 8)
            score = min(100.0, max(0.0, round(score, 1)))
            violation = rng.choice(["超限运输", "占道经营, 情节较轻", "无证经营", "虚假宣传\n误导消费者"])
            writer.writerow([f"C{index:08d}", counties[unit_index % len(counties)], units[unit_index], violation,
                             f"{score:.1f}", 2022 + index % 3])


def test_generated_file_matches_duckdb(pingcha, tmp_path):
    rows = int(os.environ.get("PINGCHA_CROSSCHECK_ROWS", "100000"))
    path = tmp_path / "cases.csv"
    write_random_cases(path, rows, seed=20250601)
    for alias in ["unit", "county", "review_year"]:
        result = pingcha.json("cases", "pass-rate", str(path), "--by", alias)
        assert result["provenance"]["inputs"][0]["rows"] == rows
        assert_same(result["rows"], duckdb_pass_rate(path, GROUP_COLUMNS[alias]), alias)


@pytest.mark.parametrize("chunk_bytes", ["97", "4099", "65536"])
def test_messy_file_in_tiny_chunks_matches_serial_and_duckdb(pingcha, tmp_path, chunk_bytes):
    """A generated --messy export (BOM, CRLF, quoted commas and line breaks) parsed in chunks so
    small that boundaries fall on quoted line breaks: the same answer as one serial parse and as DuckDB."""
    pingcha("generate", "--cases", "20000", "--seed", "11", "--officers", "2000", "--out", str(tmp_path), "--messy")
    path = tmp_path / "cases.csv"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = [record for record in csv.reader(handle) if record]
    # Quoted fields holding line breaks are there to be cut through.
    assert any("\n" in field for record in records for field in record)
    serial = pingcha.json("cases", "pass-rate", str(path), "--by", "unit", "--threads", "1", "--no-cache")
    chunked = pingcha.json("cases", "pass-rate", str(path), "--by", "unit", "--threads", "2", "--chunk-bytes", chunk_bytes, "--no-cache")
    assert chunked["rows"] == serial["rows"]
    assert chunked["provenance"]["inputs"] == serial["provenance"]["inputs"]
    assert serial["provenance"]["inputs"][0]["rows"] == len(records) - 1
    assert_same(chunked["rows"], duckdb_pass_rate(path, "执法单位"), "unit")
