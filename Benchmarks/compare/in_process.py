"""The peers' work timed in a process that already has them loaded, beside pingcha's whole process.

`compare.py` times every engine as its own process, interpreter start and import included. Here
Polars and DuckDB are imported once and only their query is timed (`time.perf_counter` around
it): Polars `scan_csv().group_by().agg().collect()`, DuckDB over `read_csv`, and DuckDB over its
native table in a connection opened beforehand. pingcha runs as a whole process (process start
included): its first run over the file (no cache entry yet: the entry is written), cold from the
CSV with each parser (`--no-cache`), and warm from its column cache. Each timed run
comes right after an untimed one of the same work; every engine's groups are checked equal to
pingcha's before any time is printed.

    python3 in_process.py --rows 10000000 --rounds 3
"""
import shutil
import statistics
import sys
import time

from compare import agree, pingcha_rows, province_arguments, province_cases, timed_plain
import peer_run


def main():
    parser = province_arguments(__doc__)
    arguments = parser.parse_args()
    import duckdb
    import polars  # noqa: F401  (imported before any timing)

    directory, csv_path = province_cases(arguments.pingcha, arguments.data_dir, arguments.rows)
    database = directory / "cases.duckdb"
    if not database.exists():
        connection = duckdb.connect(str(database))
        connection.execute(f"CREATE TABLE cases AS SELECT * FROM read_csv('{csv_path}', header = true)")
        connection.close()
    native = duckdb.connect(str(database), read_only=True)
    cache = directory / ".pingcha-cache-in-process"
    command = [arguments.pingcha, "cases", "pass-rate", str(csv_path), "--by", "unit", "--format", "json"]

    def native_query():
        rows = native.sql(peer_run.QUERY.format(source="cases")).fetchall()
        return {row[0]: list(row[1:]) for row in rows}

    first_cache = directory / ".pingcha-cache-first-run"
    processes = {
        "pingcha first run (cache written)": command + ["--cache-dir", str(first_cache)],
        "pingcha cold, vectorised": command + ["--no-cache"],
        "pingcha cold, libcsv": command + ["--no-cache", "--parser", "libcsv"],
        "pingcha warm (cache)": command + ["--cache-dir", str(cache)],
    }
    queries = {
        "Polars scan_csv (query only)": lambda: peer_run.polars_run(str(csv_path)),
        "DuckDB read_csv (query only)": lambda: peer_run.duckdb_run(str(csv_path)),
        "DuckDB native table (query only)": native_query,
    }
    times = {name: [] for name in list(processes) + list(queries)}
    reference = None
    for _ in range(arguments.rounds):
        for name, run in processes.items():
            timed_plain(run)  # primes the page cache (and fills pingcha's column cache)
            if name.startswith("pingcha first run"):
                shutil.rmtree(first_cache)  # the timed run finds no entry and writes one
            seconds, stdout = timed_plain(run)
            rows = pingcha_rows(stdout)
            if reference is None:
                reference = rows
            agree(reference, rows, name)
            times[name].append(seconds)
        for name, query in queries.items():
            query()
            started = time.perf_counter()
            rows = query()
            times[name].append(time.perf_counter() - started)
            agree(reference, rows, name)
    cold = statistics.median(times["pingcha cold, vectorised"])
    warm = statistics.median(times["pingcha warm (cache)"])
    print(f"{arguments.rows:,} rows, {csv_path.stat().st_size / 1e9:.2f} GB, {len(reference):,} units — results identical across engines\n")
    print("| engine | median s | min s | pingcha cold ÷ this | pingcha warm ÷ this |")
    print("|---|---|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.3f} | {min(values):.3f} | {cold / median:.2f} | {warm / median:.2f} |")
    print()
    first = statistics.median(times["pingcha first run (cache written)"])
    polars_median = statistics.median(times["Polars scan_csv (query only)"])
    print(f"first run ÷ cold = {first / cold:.2f} (≤ 1.1), first run ÷ Polars = {first / polars_median:.2f} (≤ 0.8)")
    print(f"targets: cold ÷ Polars = {cold / statistics.median(times['Polars scan_csv (query only)']):.2f} (≤ 0.8), "
          f"cold ÷ DuckDB read_csv = {cold / statistics.median(times['DuckDB read_csv (query only)']):.2f} (≤ 0.6), "
          f"warm ÷ DuckDB native = {warm / statistics.median(times['DuckDB native table (query only)']):.2f} (≤ 0.5)")


if __name__ == "__main__":
    sys.exit(main())
