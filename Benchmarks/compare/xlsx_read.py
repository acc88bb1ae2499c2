"""Reading a 1M-row sheet: pingcha (whole process) beside openpyxl in read-only mode and
python-calamine (each timed on the read alone, after its import), and the same rows as CSV.

The workbook is the generated cases export written by pingcha itself (libxlsxwriter, shared
strings); every reader's row count and score sum are checked equal before any time is printed.

    python3 xlsx_read.py --rows 1000000
"""
import argparse
import json
import subprocess
import sys
import time

from compare import province_cases, timed_plain, ROOT


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--data-dir", default="/tmp/pingcha-bench")
    parser.add_argument("--pingcha", default=str(ROOT / ".build" / "release" / "pingcha"))
    parser.add_argument("--skip-openpyxl", action="store_true", help="openpyxl takes minutes on a million rows")
    arguments = parser.parse_args()
    import openpyxl
    import python_calamine

    directory, csv_path = province_cases(arguments.pingcha, arguments.data_dir, arguments.rows)
    book = directory / "cases.xlsx"
    if not book.exists():
        subprocess.run([arguments.pingcha, "query", "SELECT * FROM cases", "--table", f"cases={csv_path}", "--format", "xlsx",
                        "--output", str(book), "--no-cache"], check=True)

    def pingcha_sum(path):
        sql = "SELECT count(*) AS n, sum(评查得分) AS total FROM t"
        seconds, out = timed_plain([arguments.pingcha, "query", sql, "--table", f"t={path}", "--sheet", "1", "--format", "json", "--no-cache"]
                             if str(path).endswith(".xlsx") else
                             [arguments.pingcha, "query", sql, "--table", f"t={path}", "--format", "json", "--no-cache"])
        row = json.loads(out)["rows"][0]
        return seconds, (row["n"], round(row["total"], 1))

    results = {}
    timed_plain([arguments.pingcha, "describe", str(csv_path), "--no-cache"])  # the page cache
    results["pingcha, CSV (whole process)"] = pingcha_sum(csv_path)
    results["pingcha, XLSX (whole process)"] = pingcha_sum(book)

    started = time.perf_counter()
    sheet = python_calamine.CalamineWorkbook.from_path(str(book)).get_sheet_by_index(0).to_python()
    header = sheet[0]
    column = header.index("评查得分")
    total = sum(row[column] for row in sheet[1:] if row[column] != "")
    results["python-calamine (read only)"] = (time.perf_counter() - started, (len(sheet) - 1, round(total, 1)))

    if not arguments.skip_openpyxl:
        started = time.perf_counter()
        workbook = openpyxl.load_workbook(book, read_only=True)
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows)
        column = header.index("评查得分")
        count, total = 0, 0.0
        for row in rows:
            count += 1
            total += row[column] or 0
        results["openpyxl read-only (read only)"] = (time.perf_counter() - started, (count, round(total, 1)))

    answers = {answer for _, answer in results.values()}
    if len(answers) != 1:
        sys.exit(f"the readers disagree: {results}")
    base = results["pingcha, XLSX (whole process)"][0]
    print(f"{arguments.rows:,} rows, {book.stat().st_size / 1e6:.0f} MB workbook — same count and score sum everywhere\n")
    print("| reader | seconds | pingcha XLSX ÷ this |")
    print("|---|---|---|")
    for name, (seconds, _) in results.items():
        print(f"| {name} | {seconds:.2f} | {base / seconds:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
