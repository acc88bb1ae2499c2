"""`pingcha tests score` against the same figures computed with Python's csv module (§2.4)."""
import csv
import math

from conftest import ROOT

SAMPLE = ROOT / "Datasets" / "sample"
SEED = "2025-06-01|draw-01|4719302685"


def expected(only=None, kind="现场测试"):
    with open(SAMPLE / "roster.csv", encoding="utf-8", newline="") as handle:
        roster = {row["证件号"]: row for row in csv.DictReader(handle)}
    groups = {}
    with open(SAMPLE / "tests.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["测试类型"] != kind or (only is not None and row["证件号"] not in only) or row["证件号"] not in roster:
                continue
            score = 0.0 if row["得分"] == "缺考" else float(row["得分"])
            groups.setdefault(row["执法单位"], []).append((score, row["得分"] == "缺考"))
    result = {}
    for unit, entries in groups.items():
        average = math.fsum(s for s, _ in entries) / len(entries)
        failed = sum(s < 60 for s, _ in entries)
        result[unit] = dict(tested=len(entries), average=average, failed=failed, absent=sum(a for _, a in entries),
                            item_points=0.0 if failed else 20 * average / 100, acceptance_points=8 * average / 100)
    return result


def check(rows, figures):
    assert {row["unit"] for row in rows} == set(figures)
    for row in rows:
        for key, value in figures[row["unit"]].items():
            assert math.isclose(row[key], value, rel_tol=1e-12, abs_tol=1e-12), (row["unit"], key, row[key], value)


def test_all_on_site_tests(pingcha):
    result = pingcha.json("tests", "score", str(SAMPLE / "tests.csv"), "--roster", str(SAMPLE / "roster.csv"))
    check(result["rows"], expected())
    assert result["absent"] == [{"unit": "漯河市交通运输局", "cert_no": "ZF0012", "name": result["absent"][0]["name"]}]
    excluded = {e["reason"]: e["rows"] for e in result["provenance"]["excluded"]}
    assert excluded["other_test_kinds"] == 14


def test_only_the_drawn(pingcha, tmp_path):
    record = tmp_path / "draw.json"
    pingcha("draw", str(SAMPLE / "roster.csv"), "--seed", SEED, "--record", str(record))
    import json
    drawn = {p["cert_no"] for s in json.loads(record.read_text(encoding="utf-8"))["strata"] for p in s["drawn"]}
    result = pingcha.json("tests", "score", str(SAMPLE / "tests.csv"), "--roster", str(SAMPLE / "roster.csv"),
                          "--draw-record", str(record))
    check(result["rows"], expected(only=drawn))
    city = next(row for row in result["rows"] if row["unit"] == "漯河市市场监督管理局")
    # The worked example of EXPECTED.md: 59.5 78 95 88 92 → 82.5, one below 60.
    assert city["average"] == 82.5 and city["failed"] == 1 and city["item_points"] == 0 and math.isclose(city["acceptance_points"], 6.6)


def test_theory_tests_by_city_through_the_roster(pingcha):
    result = pingcha.json("tests", "score", str(SAMPLE / "tests.csv"), "--roster", str(SAMPLE / "roster.csv"),
                          "--kind", "理论测试", "--by", "省辖市")
    averages = {row["city"]: row["average"] for row in result["rows"]}
    # The competition's theory averages (EXPECTED.md): 漯河市 83, 平顶山市 85, 许昌市 79, 济源 91, 省直 (88+89+80+80)/4.
    assert averages == {"漯河市": 83.0, "平顶山市": 85.0, "许昌市": 79.0, "济源示范区": 91.0, "省直": 84.25}
