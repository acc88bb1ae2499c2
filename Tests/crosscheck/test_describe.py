"""`pingcha describe` against the same summary worked out with Python's csv module: per column
the empty cells, the distinct values and the extremes (text in code-point order, which is UTF-8
byte order; numbers, dates and 是/否 as their values)."""
import csv
import datetime

import pytest

from conftest import ROOT

SAMPLE = ROOT / "Datasets" / "sample"


def summary(path, types):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # The tests export's absent marker: 缺考 in 得分 counts as 0, and a yes/no column 缺考 says which.
    for row in rows:
        if row.get("得分") == "缺考":
            row["得分"], row["缺考"] = "0", "是"
        elif "得分" in row:
            row["缺考"] = "否"
    result = {}
    for name, kind in types.items():
        cells = [row[name] for row in rows]
        present = [cell for cell in cells if cell != ""]
        convert = {
            "text": str,
            "int64": int,
            "float64": float,
            "date": datetime.date.fromisoformat,
            "bool": lambda cell: cell == "是",
        }[kind]
        values = [convert(cell) for cell in present]
        extreme = (lambda value: value.isoformat()) if kind == "date" else (lambda value: value)
        result[name] = {
            "nulls": len(cells) - len(present),
            "distinct": len(set(values)),
            "min": extreme(min(values)) if values else None,
            "max": extreme(max(values)) if values else None,
        }
    return result


@pytest.mark.parametrize("export", ["cases", "tests", "roster"])
def test_describe_matches_python(pingcha, export):
    rows = pingcha.json("describe", str(SAMPLE / f"{export}.csv"))["rows"]
    types = {row["name"]: row["type"] for row in rows if row["type"] in ("text", "int64", "float64", "date", "bool")}
    expected = summary(SAMPLE / f"{export}.csv", types)
    for row in rows:
        if row["name"] not in expected:
            continue
        wanted = expected[row["name"]]
        assert (row["nulls"], row["distinct"], row["min"], row["max"]) == \
            (wanted["nulls"], wanted["distinct"], wanted["min"], wanted["max"]), row["name"]
