"""`pingcha shell`: statements read from standard input, run in turn over tables loaded once,
each answer checked against DuckDB over the same file."""
import json

import duckdb

SAMPLE = "Datasets/sample/cases.csv"


def documents(text):
    """The JSON documents printed one after another."""
    decoder, at, found = json.JSONDecoder(), 0, []
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        document, at = decoder.raw_decode(text, at)
        found.append(document)
    return found


def test_statements_run_in_turn_and_an_error_does_not_stop_the_rest(pingcha):
    script = (
        "SELECT 执法单位, count(*) AS n FROM cases\n"
        "  GROUP BY 执法单位 ORDER BY n DESC, 执法单位 LIMIT 3;\n"
        "SELECT nope FROM cases;\n"
        "\n"
        "SELECT avg(评查得分) AS m, count(*) AS n FROM cases WHERE 评查年度 = 2023;\n"
        ".quit\n"
        "SELECT count(*) FROM cases;\n"
    )
    result = pingcha("shell", "--table", f"cases={SAMPLE}", "--format", "json", "--lang", "en", "--timer",
                     input=script.encode(), check=False)
    # The unknown column is the run's error (a usage error, 64); the statements around it ran,
    # and nothing after .quit did.
    assert result.returncode == 64
    errors = result.stderr.decode()
    assert "no column named 'nope'" in errors
    assert sum(line.startswith("time ") for line in errors.splitlines()) == 3
    answers = [[list(row.values()) for row in document["rows"]] for document in documents(result.stdout.decode())]
    assert len(answers) == 2

    con = duckdb.connect()
    table = f"read_csv('{SAMPLE}', header = true)"
    top = con.sql(f"SELECT 执法单位, count(*) AS n FROM {table} GROUP BY 执法单位 ORDER BY n DESC, 执法单位 LIMIT 3").fetchall()
    assert answers[0] == [list(row) for row in top]
    mean, count = con.sql(f"SELECT avg(评查得分), count(*) FROM {table} WHERE 评查年度 = 2023").fetchall()[0]
    assert answers[1][0][1] == count
    assert abs(answers[1][0][0] - mean) <= 1e-9 * abs(mean)


def test_a_later_statement_needing_more_columns_reads_them(pingcha):
    # The first statement loads two columns; the second needs a third, the third every column.
    script = (
        "SELECT count(*) AS n FROM cases WHERE 评查年度 = 2022;\n"
        "SELECT max(决定日期) AS d FROM cases WHERE 评查年度 = 2022;\n"
        "SELECT * FROM cases ORDER BY 案卷编号 LIMIT 1;\n"
    )
    result = pingcha("shell", "--table", f"cases={SAMPLE}", "--format", "json", "--no-cache", input=script.encode())
    answers = [document["rows"] for document in documents(result.stdout.decode())]
    con = duckdb.connect()
    table = f"read_csv('{SAMPLE}', header = true)"
    (count,) = con.sql(f"SELECT count(*) FROM {table} WHERE 评查年度 = 2022").fetchall()[0]
    (latest,) = con.sql(f"SELECT max(决定日期) FROM {table} WHERE 评查年度 = 2022").fetchall()[0]
    (first,) = con.sql(f"SELECT 案卷编号 FROM {table} ORDER BY 案卷编号 LIMIT 1").fetchall()[0]
    assert answers[0] == [{"n": count}]
    assert answers[1] == [{"d": latest.isoformat()}]
    assert answers[2][0]["案卷编号"] == first and len(answers[2][0]) == 14


def test_lines_ending_in_crlf_end_their_statements(pingcha):
    # A script saved on Windows: each statement still ends at its semicolon (two timed runs).
    script = "SELECT count(*) AS n FROM cases;\r\nSELECT max(评查得分) AS m FROM cases;\r\n"
    result = pingcha("shell", "--table", f"cases={SAMPLE}", "--format", "json", "--lang", "en", "--timer", "--no-cache",
                     input=script.encode())
    assert sum(line.startswith("time ") for line in result.stderr.decode().splitlines()) == 2
    con = duckdb.connect()
    table = f"read_csv('{SAMPLE}', header = true)"
    count, top = con.sql(f"SELECT count(*), max(评查得分) FROM {table}").fetchall()[0]
    assert [document["rows"] for document in documents(result.stdout.decode())] == [[{"n": count}], [{"m": top}]]
