"""Side-by-side: pingcha, Polars and DuckDB on the same generated cases export, same session.

For each size it generates (or reuses) a province with `pingcha generate`, then runs in turn, for
several rounds: pingcha from the raw CSV (cold: no column cache; also with one parse thread, and
pinned to one core with `taskset`), pingcha again (warm: column cache), Polars `scan_csv().group_by().agg()`, DuckDB `read_csv` + GROUP BY, and DuckDB on its own
native table. Each run is its own process under /usr/bin/time (wall time and peak RSS, process
start included). Results are checked equal across engines before any time is printed.

Every timed run comes right after an untimed run of the same command (`--no-prime` leaves it
out), so each engine finds its own files in the OS page cache: at 100M rows the CSV (15.8 GB),
pingcha's cache file and DuckDB's database do not all fit in memory at once, and without it a
run pays for disk reads the run before it caused.

    python3 Benchmarks/compare/compare.py --rows 10000000 --rounds 3
"""
import argparse
import json
import os
import pathlib
import statistics
import shutil
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def province_arguments(description):
    """The options every side-by-side script takes: rows, rounds, data folder, pingcha binary."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data-dir", default="/tmp/pingcha-bench")
    parser.add_argument("--pingcha", default=str(ROOT / ".build" / "release" / "pingcha"))
    return parser


def province_cases(pingcha, data_dir, rows):
    """The cases export of the generated province of `rows` rows under `data_dir`, generated
    with seed 7 the first time."""
    directory = pathlib.Path(data_dir) / f"cases-{rows}"
    csv_path = directory / "cases.csv"
    if not csv_path.exists():
        subprocess.run([pingcha, "generate", "--cases", str(rows), "--seed", "7", "--out", str(directory)], check=True)
    return directory, csv_path


def timed_plain(command):
    """Runs `command` (no /usr/bin/time); returns (seconds, stdout)."""
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - started, result.stdout


def timed(command, env=None):
    """Runs `command` under /usr/bin/time; returns (seconds, peak RSS in MiB, stdout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        result = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", report.name, *command], capture_output=True,
                                env=dict(os.environ, PINGCHA_NO_PROGRESS="1", **(env or {})))
        if result.returncode != 0:
            sys.exit(f"failed: {' '.join(command)}\n{result.stderr.decode()}")
        seconds, kilobytes = report.read().split()[-2:]
    return float(seconds), int(kilobytes) / 1024, result.stdout


def pingcha_rows(stdout):
    rows = json.loads(stdout)["rows"]
    return {r["unit"]: [r["cases"], r["unqualified"], r["mean_score"], r["median_score"], r["min_score"], r["excellent"]] for r in rows}


def agree(left, right, name):
    if left.keys() != right.keys():
        sys.exit(f"{name}: different groups ({len(left)} against {len(right)})")
    for key, values in left.items():
        for a, b in zip(values, right[key]):
            if abs(float(a) - float(b)) > 1e-9 * max(1.0, abs(float(a))):
                sys.exit(f"{name}: {key} differs: {values} against {right[key]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="10000000", help="comma-separated sizes (rows of cases.csv)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data-dir", default=os.environ.get("PINGCHA_BENCH_DIR", "/tmp/pingcha-bench"))
    parser.add_argument("--pingcha", default=str(ROOT / ".build" / "release" / "pingcha"))
    parser.add_argument("--no-prime", action="store_true",
                        help="time each run without an untimed run of the same command just before it")
    args = parser.parse_args()
    binary = args.pingcha
    primed = "each after an untimed run of the same command" if not args.no_prime else "not primed"
    print(f"pingcha {binary}; {os.cpu_count()} cores; {args.rounds} rounds; medians of wall time, process start "
          f"included; {primed}")
    for rows in [int(part) for part in args.rows.split(",")]:
        directory = pathlib.Path(args.data_dir) / f"cases-{rows}"
        csv_path = directory / "cases.csv"
        if not csv_path.exists():
            print(f"generating {rows:,} rows into {directory} …", flush=True)
            subprocess.run([binary, "generate", "--cases", str(rows), "--seed", "7", "--out", str(directory)], check=True,
                           capture_output=True)
        database = directory / "cases.duckdb"
        if not database.exists():
            import duckdb
            connection = duckdb.connect(str(database))
            connection.execute(f"CREATE TABLE cases AS SELECT * FROM read_csv('{csv_path}', header = true)")
            connection.close()
        cache = directory / ".pingcha-cache"
        pingcha_command = [binary, "cases", "pass-rate", str(csv_path), "--by", "unit", "--format", "json", "--cache-dir", str(cache)]
        runs = {
            "pingcha cold (CSV)": pingcha_command + ["--no-cache"],
            "pingcha cold, 1 thread": pingcha_command + ["--no-cache", "--threads", "1"],
        }
        # One parse thread still hashes the file on a helper thread, on the other core; pinned to
        # one core, the whole process shares it.
        if shutil.which("taskset"):
            runs["pingcha cold, 1 core"] = ["taskset", "-c", "0"] + pingcha_command + ["--no-cache", "--threads", "1"]
        runs |= {
            "pingcha warm (cache)": pingcha_command,
            "Polars scan_csv": [sys.executable, str(HERE / "peer_run.py"), "polars", str(csv_path)],
            "DuckDB read_csv": [sys.executable, str(HERE / "peer_run.py"), "duckdb", str(csv_path)],
            "DuckDB native table": [sys.executable, str(HERE / "peer_run.py"), "duckdb-native", str(csv_path), str(database)],
        }
        # The first run with an empty cache parses every column and writes the cache.
        subprocess.run([binary, "cache", "clear", "--cache-dir", str(cache)], check=True, capture_output=True)
        fill_seconds, fill_memory, _ = timed(pingcha_command)
        times = {name: [] for name in runs}
        memory = {name: [] for name in runs}
        results = {}
        for _ in range(args.rounds):
            for name, command in runs.items():
                if not args.no_prime:
                    timed(command)
                seconds, mebibytes, stdout = timed(command)
                times[name].append(seconds)
                memory[name].append(mebibytes)
                results[name] = pingcha_rows(stdout) if name.startswith("pingcha") else json.loads(stdout)
        reference = results["pingcha cold (CSV)"]
        for name, result in results.items():
            agree(reference, result, name)
        size = csv_path.stat().st_size / 1e9
        print(f"\n{rows:,} rows, {size:.2f} GB, {len(reference):,} units — results identical across engines")
        print(f"| engine | median s | min s | peak RSS MiB | pingcha cold ÷ this | pingcha warm ÷ this |")
        print(f"|---|---|---|---|---|---|")
        cold = statistics.median(times["pingcha cold (CSV)"])
        warm = statistics.median(times["pingcha warm (cache)"])
        for name in runs:
            median = statistics.median(times[name])
            print(f"| {name} | {median:.2f} | {min(times[name]):.2f} | {max(memory[name]):.0f} | {cold / median:.2f} | {warm / median:.2f} |")
        one_thread = statistics.median(times["pingcha cold, 1 thread"])
        print(f"\nfirst run with an empty cache (parses all columns, writes the cache): {fill_seconds:.2f} s, {fill_memory:.0f} MiB")
        print(f"threads: cold on 1 parse thread ÷ cold on all cores = {one_thread / cold:.2f}")
        if "pingcha cold, 1 core" in times:
            print(f"cores: cold pinned to 1 core ÷ cold on all cores = {statistics.median(times['pingcha cold, 1 core']) / cold:.2f}")
        print(f"targets: cold ÷ Polars = {cold / statistics.median(times['Polars scan_csv']):.2f} (≤ 0.8), "
              f"cold ÷ DuckDB read_csv = {cold / statistics.median(times['DuckDB read_csv']):.2f} (≤ 0.5), "
              f"warm ÷ DuckDB native = {warm / statistics.median(times['DuckDB native table']):.2f} (≤ 0.5), "
              f"cold RSS ÷ Polars RSS = {max(memory['pingcha cold (CSV)']) / max(memory['Polars scan_csv']):.2f} (≤ 1)")


if __name__ == "__main__":
    main()
