"""Malformed records through `pingcha query`, with and without --rejects.

Every kind of bad quoting at every place a file can hold it (first record, middle, last record
without a newline, inside a CRLF file, inside a GB18030 file). The files are written here with
Python's codecs, and the expected rows are the good records as Python's `csv` module reads them:
the rule is that a malformed record runs from its first line to the line where its bad quote
opened, and reading resumes on the next line, so every good record is kept.
"""
import csv
import io
import json

import pytest

HEADER = "编号,单位,得分"
GOOD = ["1,甲,80", "2,乙,70", "3,丙,90", "4,丁,60"]
KINDS = {
    # kind: (the bad record for number n and score s, what the English message starts with)
    "text_after_closing_quote": (lambda n, s: f'{n},"单位"尾,{s}', "misplaced quote"),
    "inner_quote_not_doubled": (lambda n, s: f'{n},"他说"好"的",{s}', "misplaced quote"),
    "unterminated_quote": (lambda n, s: f'{n},"单位,{s}', "unterminated quote"),
    "field_too_long": (lambda n, s: f'{n},"{"x" * 40}",{s}', "a field longer than 16 bytes"),
}
PLACES = {"first_record": 0, "middle": 2, "last_without_newline": 3, "crlf_file": 2, "gb18030_file": 2}


def records(kind, place):
    rows = list(GOOD)
    index = PLACES[place]
    number, _, score = GOOD[index].split(",")
    rows[index] = KINDS[kind][0](number, score)
    return rows


def write(tmp_path, kind, place):
    rows = records(kind, place)
    if place == "last_without_newline":
        data = "\n".join([HEADER] + rows).encode("utf-8")
    elif place == "crlf_file":
        data = ("\r\n".join([HEADER] + rows) + "\r\n").encode("utf-8")
    elif place == "gb18030_file":
        data = ("\n".join([HEADER] + rows) + "\n").encode("gb18030")
    else:
        data = ("\n".join([HEADER] + rows) + "\n").encode("utf-8")
    path = tmp_path / f"{kind}-{place}.csv"
    path.write_bytes(data)
    return path


def query(pingcha, path, kind, *extra):
    arguments = ["query", "SELECT * FROM t", "--table", f"t={path}", "--no-cache", *extra]
    if kind == "field_too_long":
        arguments += ["--max-field-bytes", "16"]
    return pingcha(*arguments, "--format", "json", check=False)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("kind", KINDS)
def test_with_rejects_every_good_record_is_kept(pingcha, tmp_path, kind, place):
    path = write(tmp_path, kind, place)
    rejects = tmp_path / "rejects.csv"
    result = query(pingcha, path, kind, "--rejects", str(rejects))
    assert result.returncode == 0, result.stderr.decode()
    document = json.loads(result.stdout)
    index = PLACES[place]
    expected = [row for number, row in enumerate(csv.reader(io.StringIO("\n".join(GOOD)))) if number != index]
    assert [[str(row["编号"]), row["单位"], str(row["得分"])] for row in document["rows"]] == expected
    assert document["provenance"]["inputs"][0]["rejected"] == 1
    with open(rejects, encoding="utf-8-sig", newline="") as handle:
        set_aside = list(csv.DictReader(handle))
    assert len(set_aside) == 1
    line = index + 2  # the header is line 1
    assert (set_aside[0]["行号"], set_aside[0]["结束行"], set_aside[0]["列"]) == (str(line), str(line), "2")
    assert set_aside[0]["原始内容"] == records(kind, place)[index]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("kind", KINDS)
def test_without_rejects_the_load_stops_where_the_quote_opened(pingcha, tmp_path, kind, place):
    path = write(tmp_path, kind, place)
    result = query(pingcha, path, kind, "--lang", "en")
    assert result.returncode == 65
    message = result.stderr.decode()
    assert f"{path}:{PLACES[place] + 2}:2: {KINDS[kind][1]}" in message


def test_quotes_inside_unquoted_fields_are_text_as_python_reads_them(pingcha, tmp_path):
    text = '编号,内容\n1,5"3\n2,违反"三项制度"\n3,a "b" c\n'
    path = tmp_path / "text-quotes.csv"
    path.write_text(text, encoding="utf-8")
    expected = list(csv.reader(io.StringIO(text)))[1:]
    document = pingcha.json("query", "SELECT * FROM t", "--table", f"t={path}", "--no-cache")
    assert [[str(row["编号"]), row["内容"]] for row in document["rows"]] == expected
    assert document["provenance"]["inputs"][0]["text_quotes"] == 3


def test_the_error_names_where_the_quote_opened_and_where_the_parser_gave_up(pingcha, tmp_path):
    lines = [HEADER] + [{7: '7,"甲,70', 13: '13,"乙"尾,70'}.get(number, f"{number},丙,{number}") for number in range(2, 15)]
    path = tmp_path / "line7.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = pingcha("query", "SELECT * FROM t", "--table", f"t={path}", "--no-cache", check=False)
    assert result.returncode == 65
    assert f"{path}:7:2: 引号没有正确结束：这里开始的带引号字段一直读到第 13 行" in result.stderr.decode()
    rejects = tmp_path / "line7-rejects.csv"
    document = pingcha.json("query", "SELECT 编号 FROM t", "--table", f"t={path}", "--no-cache", "--rejects", str(rejects))
    assert [row["编号"] for row in document["rows"]] == [2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 14]
    with open(rejects, encoding="utf-8-sig", newline="") as handle:
        assert [row["行号"] for row in csv.DictReader(handle)] == ["7", "13"]


def test_an_empty_score_is_null_in_the_query_and_refused_by_the_command(pingcha, tmp_path):
    path = tmp_path / "tests.csv"
    path.write_text("证件号,执法单位,测试类型,测试日期,得分\nZF1,甲局,现场测试,2024-06-18,92\nZF2,甲局,现场测试,2024-06-18,\n"
                    "ZF3,甲局,现场测试,2024-06-18,150\n", encoding="utf-8")
    rows = pingcha.json("query", "SELECT count(*) AS n, count(得分) AS scored, max(得分) AS top FROM t",
                        "--table", f"t={path}", "--no-cache")["rows"]
    assert rows == [{"n": 3, "scored": 2, "top": 150.0}]
    result = pingcha("tests", "score", str(path), "--roster", "Datasets/sample/roster.csv", "--no-cache", check=False)
    assert result.returncode == 65
    assert f"{path}:3:5:" in result.stderr.decode()
