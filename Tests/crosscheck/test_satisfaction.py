"""`pingcha survey satisfaction` against Python's csv module and SciPy (§2.2): every figure to 1e-9."""
import csv
import math
import statistics

from scipy import stats

from conftest import ROOT

SURVEY = ROOT / "Datasets" / "sample" / "survey.csv"
LABELS = {"非常不满意": 1, "不满意": 2, "基本满意": 3, "满意": 4, "非常满意": 5}
Z = stats.norm.ppf(0.975)


def value(text):
    return None if text == "" else (LABELS[text] if text in LABELS else int(text))


def expected(path=SURVEY, year=None, minimum=30):
    groups = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        items = [name for name in reader.fieldnames if name.startswith("题")]
        for row in reader:
            if year is not None and not row["调查日期"].startswith(str(year)):
                continue
            groups.setdefault(row["执法单位"], []).append(row)
    result = {}
    for unit, rows in groups.items():
        answers = [(value(r[item]) - 1) / 4 * 100 for r in rows for item in items if value(r[item]) is not None]
        index = statistics.fmean(answers) if answers else None
        if len(answers) >= 2:
            half_t = stats.t.ppf(0.975, len(answers) - 1) * statistics.stdev(answers) / math.sqrt(len(answers))
            index_low, index_high = index - half_t, index + half_t
        else:
            index_low = index_high = None
        n = len(rows)
        rated = [value(r["总体评价"]) for r in rows if value(r["总体评价"]) is not None]
        if rated:
            satisfied = sum(answer >= 3 for answer in rated)
            m = len(rated)
            p = satisfied / m
            denominator = 1 + Z * Z / m
            centre = (p + Z * Z / (2 * m)) / denominator
            half_w = Z * math.sqrt(p * (1 - p) / m + Z * Z / (4 * m * m)) / denominator
            rate, rate_low, rate_high, wide = p, max(0, centre - half_w), min(1, centre + half_w), half_w > 0.10
        else:
            rate = rate_low = rate_high = None
            wide = True
        result[unit] = dict(responses=n, satisfaction_index=index, index_ci_low=index_low, index_ci_high=index_high,
                            satisfied_rate=rate, rate_ci_low=rate_low, rate_ci_high=rate_high, too_small=n < minimum or wide)
    ranked = sorted((u for u in result if not result[u]["too_small"]), key=lambda u: -result[u]["satisfaction_index"])
    for position, unit in enumerate(ranked):
        result[unit]["rank"] = position + 1
    for unit in result:
        result[unit].setdefault("rank", None)
    return result


def check(rows, figures):
    assert {row["unit"] for row in rows} == set(figures)
    for row in rows:
        for key, want in figures[row["unit"]].items():
            got = row[key]
            if isinstance(want, float):
                assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), (row["unit"], key, got, want)
            else:
                assert got == want, (row["unit"], key, got, want)


def test_sample_satisfaction(pingcha):
    result = pingcha.json("survey", "satisfaction", str(SURVEY))
    check(result["rows"], expected())
    flags = {row["unit"]: row["too_small"] for row in result["rows"]}
    assert flags["舞阳县北舞渡镇人民政府"] and flags["舞阳县城市管理局"] and sum(flags.values()) == 2
    assert result["provenance"]["rules"]["labels"] == "非常不满意=1, 不满意=2, 基本满意=3, 满意=4, 非常满意=5"


def test_min_responses_option(pingcha):
    rows = pingcha.json("survey", "satisfaction", str(SURVEY), "--min-responses", "40")["rows"]
    check(rows, expected(minimum=40))
    # Only the three units with 60, 70 and 96 responses remain rankable.
    assert [(r["unit"], r["rank"]) for r in rows if r["rank"] is not None] == [
        ("郾城区市场监督管理局", 1), ("漯河市交通运输局", 2), ("漯河市城市管理局", 3)]
    # With 5, 舞阳县北舞渡镇人民政府 (8 responses) is still too small: its rate interval is ±16.22 points.
    few = pingcha.json("survey", "satisfaction", str(SURVEY), "--min-responses", "5")["rows"]
    assert next(r for r in few if r["unit"] == "舞阳县北舞渡镇人民政府")["too_small"] is True


def test_compare_period(pingcha):
    rows = pingcha.json("survey", "satisfaction", str(SURVEY), "--compare-period")["rows"]
    now, before = expected(year=2024), expected(year=2023)
    for row in rows:
        unit = row["unit"]
        assert math.isclose(row["satisfaction_index"], now[unit]["satisfaction_index"], rel_tol=1e-12)
        assert math.isclose(row["previous_index"], before[unit]["satisfaction_index"], rel_tol=1e-12)
        assert math.isclose(row["index_change"], now[unit]["satisfaction_index"] - before[unit]["satisfaction_index"], abs_tol=1e-9)
        assert math.isclose(row["rate_change"], now[unit]["satisfied_rate"] - before[unit]["satisfied_rate"], abs_tol=1e-12)


def test_answers_outside_the_scale_are_rejected_and_listed(pingcha, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("问卷编号,执法单位,题1,题2,总体评价\nW1,甲,满意,5,满意\nW2,甲,很好,4,满意\nW3,甲,6,4,基本满意\nW4,甲,1,,不满意\n",
                    encoding="utf-8")
    result = pingcha.json("survey", "satisfaction", str(path), "--min-responses", "1")
    row = result["rows"][0]
    # W1 and W4 count: answers 4, 5, 1 → (75 + 100 + 0) / 3; satisfied 1 of 2.
    assert row["responses"] == 2 and math.isclose(row["satisfaction_index"], 175 / 3) and row["satisfied_rate"] == 0.5
    assert [(r["line"], r["response_id"], r["column"], r["value"]) for r in result["rejected"]] == [(3, "W2", "题1", "很好"), (4, "W3", "题1", "6")]
    excluded = {e["reason"]: e["rows"] for e in result["provenance"]["excluded"]}
    assert excluded["answers_outside_scale"] == 2


def test_generated_province_satisfaction(pingcha, tmp_path):
    pingcha("generate", "--cases", "60000", "--seed", "9", "--officers", "2000", "--out", str(tmp_path))
    path = tmp_path / "survey.csv"
    rows = pingcha.json("survey", "satisfaction", str(path))["rows"]
    figures = expected(path)
    assert len(rows) == len(figures) > 1000
    check(rows, figures)
