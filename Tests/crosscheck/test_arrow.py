"""The Arrow hand-off (`pingcha convert --to arrow`, `--format arrow`): the file is read back with
pyarrow (validated in full), Polars and DuckDB, and every value is compared with the CSV as
Python's csv module reads it."""
import csv
import datetime

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.ipc as ipc

from conftest import ROOT

SAMPLE = ROOT / "Datasets" / "sample"


def read_arrow(path):
    table = ipc.open_file(str(path)).read_all()
    table.validate(full=True)
    return table


def csv_rows(path, encoding="utf-8-sig"):
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def expected_cases(rows):
    """The cases export's values as typed by its schema, from the csv module's text."""
    def date(text):
        return datetime.date.fromisoformat(text) if text else None

    return [{"案卷编号": r["案卷编号"], "省辖市": r["省辖市"], "县区": r["县区"] or None, "执法单位": r["执法单位"],
             "单位层级": r["单位层级"], "执法领域": r["执法领域"], "案件类型": r["案件类型"], "程序类型": r["程序类型"] or None,
             "重大案件": {"是": True, "否": False}[r["重大案件"]], "违法行为": r["违法行为"], "决定日期": date(r["决定日期"]),
             "备案日期": date(r["备案日期"]), "评查得分": float(r["评查得分"]), "评查年度": int(r["评查年度"])} for r in rows]


def test_sample_cases_round_trip(pingcha, tmp_path):
    target = tmp_path / "cases.arrow"
    pingcha("convert", str(SAMPLE / "cases.csv"), "--to", "arrow", "--output", str(target))
    table = read_arrow(target)
    assert table.num_rows == 65
    types = {field.name: field.type for field in table.schema}
    assert types["评查得分"] == pa.float64() and types["评查年度"] == pa.int64()
    assert types["决定日期"] == pa.date32() and types["重大案件"] == pa.bool_()
    assert types["执法单位"] == pa.dictionary(pa.int32(), pa.string())
    expected = expected_cases(csv_rows(SAMPLE / "cases.csv"))
    assert table.to_pylist() == expected
    # Polars reads the same values.
    frame = pl.read_ipc(str(target))
    assert frame.height == 65
    assert frame["评查得分"].to_list() == [row["评查得分"] for row in expected]
    assert frame["执法单位"].cast(pl.Utf8).to_list() == [row["执法单位"] for row in expected]
    assert frame["备案日期"].to_list() == [row["备案日期"] for row in expected]


def test_generated_province_agrees_with_duckdb_read_csv(pingcha, tmp_path):
    pingcha("generate", "--cases", "20000", "--seed", "9", "--officers", "2000", "--out", str(tmp_path), "--messy")
    target = tmp_path / "cases.arrow"
    pingcha("convert", str(tmp_path / "cases.csv"), "--output", str(target))
    handed = read_arrow(target)
    assert handed.num_rows == 20000
    connection = duckdb.connect()
    # DuckDB scans the Arrow table; its figures equal DuckDB's own over the CSV.
    query = ("SELECT 执法单位::VARCHAR, count(*), sum(评查得分), count(备案日期), min(决定日期), sum(CASE WHEN 重大案件 THEN 1 ELSE 0 END) "
             "FROM {source} GROUP BY 1 ORDER BY 1")
    from_arrow = connection.sql(query.format(source="handed")).fetchall()
    from_csv = connection.sql(query.format(source=f"""read_csv('{tmp_path / "cases.csv"}', header = true,
        types = {{'重大案件': 'VARCHAR', '评查得分': 'DOUBLE'}})""").replace("CASE WHEN 重大案件 THEN", "CASE WHEN 重大案件 = '是' THEN")).fetchall()
    assert len(from_arrow) == len(from_csv) > 100
    for left, right in zip(from_arrow, from_csv):
        assert left[0] == right[0] and left[1] == right[1] and left[3:] == right[3:]
        assert abs(left[2] - right[2]) < 1e-6
    # Every text value is the csv module's, row by row (the messy file has quoted line breaks and a BOM).
    rows = csv_rows(tmp_path / "cases.csv")
    assert handed.column("违法行为").to_pylist() == [row["违法行为"] for row in rows]
    assert handed.column("案卷编号").to_pylist() == [row["案卷编号"] for row in rows]


def test_timestamps_empty_columns_and_nulls(pingcha, tmp_path):
    source = tmp_path / "mixed.csv"
    source.write_text("编号,时间,备注,金额,是否\n"
                      "1,2024-03-01 08:30:00,,12.5,true\n"
                      "2,,,,false\n"
                      "3,2024-03-02 17:05:09,,-3,\n", encoding="utf-8")
    target = tmp_path / "mixed.arrow"
    pingcha("convert", str(source), "--schema", "none", "--output", str(target))
    table = read_arrow(target)
    assert [field.type for field in table.schema] == [pa.int64(), pa.timestamp("s"), pa.dictionary(pa.int32(), pa.string()),
                                                       pa.float64(), pa.bool_()]
    assert table.to_pylist() == [
        {"编号": 1, "时间": datetime.datetime(2024, 3, 1, 8, 30), "备注": None, "金额": 12.5, "是否": True},
        {"编号": 2, "时间": None, "备注": None, "金额": None, "是否": False},
        {"编号": 3, "时间": datetime.datetime(2024, 3, 2, 17, 5, 9), "备注": None, "金额": -3.0, "是否": None},
    ]
    assert table.column("备注").null_count == 3


def test_query_result_as_arrow(pingcha, tmp_path):
    target = tmp_path / "units.arrow"
    sql = ("SELECT 执法单位, count(*) AS files, avg(评查得分) AS mean, min(决定日期) AS first_decision FROM cases "
           "GROUP BY 执法单位 ORDER BY 执法单位")
    pingcha("query", sql, "--table", f"cases={SAMPLE / 'cases.csv'}", "--format", "arrow", "--output", str(target))
    table = read_arrow(target)
    assert table.column_names == ["执法单位", "files", "mean", "first_decision"]
    expected = duckdb.sql(sql.replace("FROM cases", f"FROM read_csv('{SAMPLE / 'cases.csv'}', header = true)")).fetchall()
    got = [tuple(row.values()) for row in table.to_pylist()]
    assert [row[0] for row in got] == [row[0] for row in expected]
    assert [row[1] for row in got] == [row[1] for row in expected]
    assert all(abs(a[2] - b[2]) < 1e-9 for a, b in zip(got, expected))
    assert [row[3] for row in got] == [row[3] for row in expected]
