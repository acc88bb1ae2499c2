"""Writes the fuzzers' seed corpora: the cross-check's SQL statements, one file each, the
project's CSV test inputs (the bundled sample and the csv-spectrum corpus when it is there), and
a few worksheet parts (shared, inline, boolean, error and dated cells, formulas, entities)."""
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


SHEETS = [
    '<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData><row r="1"><c r="A1" t="s"><v>1</v></c>'
    '<c r="C1" t="inlineStr"><is><t>甲&amp;乙</t></is></c></row><row r="3" spans="1:3"><c r="B3" s="1"><v>45000.5</v></c>'
    '<c r="C3"><f>A1*2</f><v>84.599999999999994</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" t=\'e\'><v>#N/A</v></c></row>'
    '<row r="4"/><row r="5"><c t="str"><v>a&lt;b&#x4E2D;</v></c><c><v>-1.5E-3</v></c></row></sheetData>'
    '<mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells></worksheet>',
    '<worksheet><sheetData><row><c><v>1</v></c><c t="inlineStr"><is><r><t>富</t></r><r><t xml:space="preserve"> 文本</t></r></is></c></row>'
    '<!-- a comment > here --><row><c r="XFD2" s="2"><v>60</v></c></row></sheetData></worksheet>',
]


def main(out):
    out = pathlib.Path(out)
    query, ingest, sheet = out / "query", out / "ingest", out / "sheet"
    for folder in (query, ingest, sheet):
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
    for index, part in enumerate(SHEETS):
        (sheet / f"s{index:02}.xml").write_text(part, encoding="utf-8")
    print(f"seed corpus: {count} statements, {len(files)} CSV files, {len(SHEETS)} sheet parts in {out}")


if __name__ == "__main__":
    main(sys.argv[1])
