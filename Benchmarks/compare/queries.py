"""pingcha query beside DuckDB on the generated province: issue 19's six queries.

Each query is run three ways and its answer checked equal before any time is printed:
- pingcha as a whole process (process start included): warm, from its column cache (primed by an
  untimed run), and cold from the CSVs (`--no-cache`);
- DuckDB on its native tables, in a connection opened beforehand (query time only);
- DuckDB over `read_csv` of the same files (query time only; DuckDB already imported);
- pingcha in an open process too: `pingcha shell` given the query rounds + 1 times on standard
  input, each statement's time as its `--timer` prints it (parse, run, print), the first (which
  reads the tables from the cache) left out — the same footing as DuckDB's native figure.

    python3 queries.py --rows 10000000 --rounds 3
"""
import json
import statistics
import subprocess
import sys
import time

from compare import province_arguments, province_cases

# (name, pingcha SQL, DuckDB SQL). {cases}, {tests}, {roster} name the tables, or read_csv(...) for
# the cold DuckDB run. pingcha's pass_rate(x) is the share at or above the rules' line (70).
QUERIES = [
    ("filtered grouped pass rate",
     "SELECT 县区, pass_rate(评查得分) AS r, count(*) AS n FROM {cases} WHERE 执法领域 = '市场监管' AND 评查年度 = 2022 GROUP BY 县区",
     "SELECT 县区, avg(CASE WHEN 评查得分 >= 70 THEN 1.0 ELSE 0.0 END) AS r, count(*) AS n FROM {cases} "
     "WHERE 执法领域 = '市场监管' AND 评查年度 = 2022 GROUP BY 县区"),
    ("count(DISTINCT 执法单位) per 省辖市",
     "SELECT 省辖市, count(DISTINCT 执法单位) AS units FROM {cases} GROUP BY 省辖市",
     "SELECT 省辖市, count(DISTINCT 执法单位) AS units FROM {cases} GROUP BY 省辖市"),
    ("tests ⋈ roster by 省辖市",
     "SELECT r.省辖市, count(*) AS n, avg(t.得分) AS a FROM {tests} t JOIN {roster} r ON t.证件号 = r.证件号 GROUP BY r.省辖市",
     # 得分 holds 缺考 for the absent: pingcha counts it as 0 (the tests schema, §2.4), DuckDB reads text.
     "SELECT r.省辖市, count(*) AS n, avg(coalesce(TRY_CAST(t.得分 AS DOUBLE), 0)) AS a FROM {tests} t JOIN {roster} r ON t.证件号 = r.证件号 "
     "GROUP BY r.省辖市"),
    # Ranked on the average to 6 decimals: the engines' sums differ in the last bit (pingcha's is
    # compensated), which would part exact ties differently.
    ("rank() over units per 省辖市",
     "SELECT 省辖市, 执法单位, avg(评查得分) AS a, rank() OVER (PARTITION BY 省辖市 ORDER BY round(avg(评查得分), 6) DESC) AS k "
     "FROM {cases} GROUP BY 省辖市, 执法单位",
     "SELECT 省辖市, 执法单位, avg(评查得分) AS a, rank() OVER (PARTITION BY 省辖市 ORDER BY round(avg(评查得分), 6) DESC) AS k "
     "FROM {cases} GROUP BY 省辖市, 执法单位"),
    ("top 20 ORDER BY … LIMIT",
     "SELECT 案卷编号, 评查得分 FROM {cases} ORDER BY 评查得分 DESC, 案卷编号 LIMIT 20",
     "SELECT 案卷编号, 评查得分 FROM {cases} ORDER BY 评查得分 DESC, 案卷编号 LIMIT 20"),
    ("median and stddev per sector",
     "SELECT 执法领域, median(评查得分) AS m, stddev(评查得分) AS s FROM {cases} GROUP BY 执法领域",
     "SELECT 执法领域, median(评查得分) AS m, stddev(评查得分) AS s FROM {cases} GROUP BY 执法领域"),
]


def normalised(rows):
    """Rows as a sorted list of tuples (floats rounded to 6 significant digits for the order only)."""
    def order(value):
        if value is None:
            return (1, "")
        return (0, float(f"{value:.6g}") if isinstance(value, float) else value)
    return sorted((tuple(row) for row in rows), key=lambda row: tuple(order(value) for value in row))


def same_rows(ours, theirs):
    """Equal rows, floats within 1e-9 relative (the engines sum in different orders)."""
    if len(ours) != len(theirs):
        return False
    for mine, other in zip(ours, theirs):
        for a, b in zip(mine, other):
            if isinstance(a, float) or isinstance(b, float):
                if a is None or b is None or abs(a - b) > 1e-9 * max(1.0, abs(a)):
                    return False
            elif a != b:
                return False
    return True


def pingcha_answer(stdout):
    return normalised([list(row.values()) for row in json.loads(stdout)["rows"]])


def shell_run(pingcha, sql, tables, cache, rounds):
    """`pingcha shell` over the statement given rounds + 1 times: (answers, seconds of each run
    after the first)."""
    statement = sql.rstrip().rstrip(";") + ";\n"
    result = subprocess.run([pingcha, "shell", *tables, "--format", "json", "--lang", "en", "--timer", "--cache-dir", str(cache)],
                            input=(statement * (rounds + 1)).encode(), capture_output=True)
    if result.returncode != 0:
        sys.exit(f"pingcha shell failed: {result.stderr.decode()}")
    text, answers, decoder, at = result.stdout.decode(), [], json.JSONDecoder(), 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        document, at = decoder.raw_decode(text, at)
        answers.append(normalised([list(row.values()) for row in document["rows"]]))
    times = [float(line.split()[1]) for line in result.stderr.decode().splitlines() if line.startswith("time ")]
    if len(answers) != rounds + 1 or len(times) != rounds + 1:
        sys.exit(f"pingcha shell gave {len(answers)} answers and {len(times)} times for {rounds + 1} statements")
    return answers, times[1:]


def main():
    parser = province_arguments(__doc__)
    parser.add_argument("--only", help="run only the queries whose name contains this text")
    arguments = parser.parse_args()
    import duckdb

    directory, cases = province_cases(arguments.pingcha, arguments.data_dir, arguments.rows)
    files = {"cases": cases, "tests": directory / "tests.csv", "roster": directory / "roster.csv"}
    database = directory / "queries.duckdb"
    if not database.exists():
        connection = duckdb.connect(str(database))
        for name, path in files.items():
            connection.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header = true)")
        connection.close()
    native = duckdb.connect(str(database), read_only=True)
    memory = duckdb.connect()
    cache = directory / ".pingcha-cache-queries"
    tables = [argument for name, path in files.items() for argument in ("--table", f"{name}={path}")]
    plain = {name: name for name in files}
    from_csv = {name: f"read_csv('{path}', header = true)" for name, path in files.items()}
    from_csv["tests"] = f"read_csv('{files['tests']}', header = true, types = {{'得分': 'VARCHAR'}})"

    print(f"| query ({arguments.rows:,} cases) | pingcha warm | DuckDB native | ratio | pingcha cold | DuckDB read_csv | ratio "
          f"| pingcha shell | ÷ native |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, ours, theirs in QUERIES:
        if arguments.only and arguments.only not in name:
            continue
        warm = [arguments.pingcha, "query", ours.format(**plain), *tables, "--format", "json", "--cache-dir", str(cache)]
        cold = [arguments.pingcha, "query", ours.format(**plain), *tables, "--format", "json", "--no-cache"]
        times = {"warm": [], "cold": [], "native": [], "read_csv": []}
        answer = None
        for _ in range(arguments.rounds):
            for label, command in (("warm", warm), ("cold", cold)):
                subprocess.run(command, capture_output=True, check=True)  # primes the page cache and the column cache
                started = time.perf_counter()
                result = subprocess.run(command, capture_output=True)
                times[label].append(time.perf_counter() - started)
                if result.returncode != 0:
                    sys.exit(f"{name}: pingcha failed: {result.stderr.decode()}")
                rows = pingcha_answer(result.stdout)
                answer = answer or rows
                if not same_rows(rows, answer):
                    sys.exit(f"{name}: pingcha {label} differs from its other run")
            for label, connection, names in (("native", native, plain), ("read_csv", memory, from_csv)):
                sql = theirs.format(**names)
                connection.sql(sql).fetchall()
                started = time.perf_counter()
                rows = connection.sql(sql).fetchall()
                times[label].append(time.perf_counter() - started)
                if not same_rows(normalised(rows), answer):
                    sys.exit(f"{name}: DuckDB ({label}) differs from pingcha:\n{normalised(rows)[:5]}\n{answer[:5]}")
        answers, times["shell"] = shell_run(arguments.pingcha, ours.format(**plain), tables, cache, arguments.rounds)
        if not all(same_rows(rows, answer) for rows in answers):
            sys.exit(f"{name}: pingcha shell differs from pingcha query")
        median = {label: statistics.median(values) for label, values in times.items()}
        print(f"| {name} | {median['warm']:.3f} s | {median['native']:.3f} s | {median['warm'] / median['native']:.1f}× "
              f"| {median['cold']:.3f} s | {median['read_csv']:.3f} s | {median['cold'] / median['read_csv']:.1f}× "
              f"| {median['shell']:.3f} s | {median['shell'] / median['native']:.1f}× |", flush=True)


if __name__ == "__main__":
    main()
