"""One timed run of a peer engine on a cases export, printing its result as JSON on stdout.

Run as its own process so that /usr/bin/time measures the peer alone (interpreter start included,
as pingcha's process start is included).
    python3 peer_run.py polars|duckdb|duckdb-native CASES.csv [DB_FILE]
"""
import json
import sys


def polars_run(path):
    import polars as pl
    frame = (pl.scan_csv(path, infer_schema_length=10000)
             .group_by("执法单位")
             .agg(pl.len().alias("cases"),
                  (pl.col("评查得分") < 70).sum().alias("unqualified"),
                  pl.col("评查得分").mean().alias("mean_score"),
                  pl.col("评查得分").median().alias("median_score"),
                  pl.col("评查得分").min().alias("min_score"),
                  (pl.col("评查得分") >= 90).sum().alias("excellent"))
             .collect())
    return {row[0]: list(row[1:]) for row in frame.iter_rows()}


QUERY = """SELECT 执法单位, count(*), sum((评查得分 < 70)::INT), avg(评查得分), median(评查得分), min(评查得分),
                  sum((评查得分 >= 90)::INT) FROM {source} GROUP BY 1"""


def duckdb_run(path):
    import duckdb
    rows = duckdb.sql(QUERY.format(source=f"read_csv('{path}', header = true)")).fetchall()
    return {row[0]: list(row[1:]) for row in rows}


def duckdb_native(path, database):
    import duckdb
    connection = duckdb.connect(database, read_only=True)
    rows = connection.sql(QUERY.format(source="cases")).fetchall()
    return {row[0]: list(row[1:]) for row in rows}


if __name__ == "__main__":
    engine, path = sys.argv[1], sys.argv[2]
    if engine == "polars":
        result = polars_run(path)
    elif engine == "duckdb":
        result = duckdb_run(path)
    else:
        result = duckdb_native(path, sys.argv[3])
    json.dump(result, sys.stdout, ensure_ascii=False)
