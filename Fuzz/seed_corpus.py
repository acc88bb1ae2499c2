"""Writes the fuzzers' seed corpora: the cross-check's SQL statements, one file each, and the
project's CSV test inputs (the bundled sample and the csv-spectrum corpus when it is there)."""
import ast
import pathlib
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def sql_statements():
    tree = ast.parse((ROOT / "Tests" / "crosscheck" / "test_query_duckdb.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List):
            for element in node.value.elts:
                if isinstance(element, ast.Constant) and isinstance(element.value, str) and element.value.lstrip().upper().startswith("SELECT"):
                    yield element.value


def main(out):
    out = pathlib.Path(out)
    query, ingest = out / "query", out / "ingest"
    for folder in (query, ingest):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    count = 0
    for count, sql in enumerate(sql_statements(), 1):
        (query / f"q{count:04}.sql").write_text(sql, encoding="utf-8")
    files = sorted((ROOT / "Datasets" / "sample").glob("*.csv"))
    spectrum = ROOT.parent / "shared" / "csv-corpus" / "csv-spectrum" / "csvs"
    if spectrum.is_dir():
        files += sorted(spectrum.glob("*.csv"))
    for index, path in enumerate(files):
        # Seeds stay small: the first 4 KiB of each file.
        (ingest / f"f{index:03}.csv").write_bytes(path.read_bytes()[:4096])
    print(f"seed corpus: {count} statements, {len(files)} CSV files in {out}")


if __name__ == "__main__":
    main(sys.argv[1])
