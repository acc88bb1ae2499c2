"""XLSX output read back by an independent reader (openpyxl): the same cells as the CSV output."""
import csv
import datetime
import io

import openpyxl
import pytest

S = "Datasets/sample/"

COMMANDS = [
    ["cases", "pass-rate", S + "cases.csv", "--by", "unit"],
    ["filing", S + "cases.csv", "--by", "unit"],
    ["survey", "satisfaction", S + "survey.csv", "--by", "unit"],
    ["competition", S + "competition.csv", "--tests", S + "tests.csv", "--roster", S + "roster.csv"],
    ["risk", S + "cases.csv"],
    ["standard", "score", S + "acceptance.csv", "--standard", "pingdingshan-2019"],
    ["tests", "score", S + "tests.csv", "--roster", S + "roster.csv"],
]


def same(csv_cell, xlsx_cell):
    if xlsx_cell is None:
        return csv_cell == ""
    if isinstance(xlsx_cell, datetime.datetime):
        return xlsx_cell.date().isoformat() == csv_cell
    if isinstance(xlsx_cell, bool):
        return csv_cell == ("是" if xlsx_cell else "否")
    if isinstance(xlsx_cell, (int, float)):
        expected = float(csv_cell)
        return abs(expected - xlsx_cell) <= 1e-12 * max(1.0, abs(expected))
    return str(xlsx_cell) == csv_cell


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_xlsx_has_the_csv_cells(pingcha, tmp_path, args):
    out = tmp_path / "out.xlsx"
    pingcha(*args, "--format", "xlsx", "--output", str(out))
    text = pingcha(*args, "--format", "csv").stdout.decode("utf-8")
    assert text.startswith("\ufeff")
    expected = list(csv.reader(io.StringIO(text[1:])))
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    got = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(got) == len(expected)
    width = len(expected[0])
    for line, (want, have) in enumerate(zip(expected, got), start=1):
        have = (have + [None] * width)[:width]
        for column, (w, h) in enumerate(zip(want, have)):
            assert same(w, h), f"row {line} column {column + 1}: csv {w!r} xlsx {h!r}"
    # The header is bold; rates are shown as percentages.
    assert all(cell.font.bold for cell in sheet[1] if cell.value is not None)
    for column, header in enumerate(expected[0], start=1):
        if header in ("合格率", "满意率", "占比"):
            assert sheet.cell(row=2, column=column).number_format.endswith("%")
    # Chinese text counts double in the fitted widths.
    unit_column = expected[0].index("执法单位") + 1 if "执法单位" in expected[0] else None
    if unit_column:
        letter = openpyxl.utils.get_column_letter(unit_column)
        longest = max(len(row[unit_column - 1]) for row in expected[1:])
        assert sheet.column_dimensions[letter].width >= 2 * longest


def test_commend_writes_the_attachment_3_form(pingcha, tmp_path):
    out = tmp_path / "commend.xlsx"
    pingcha("commend", S + "candidates.csv", "--format", "xlsx", "--output", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == ["单位", "个人", "未列入的推荐对象及原因"]
    units = [list(r) for r in book["单位"].iter_rows(values_only=True)]
    assert units[0][0] == "全省推进服务型行政执法建设表现突出的单位和个人推荐对象汇总表"
    assert units[2][0].startswith("推荐单位：漯河市（印章）")
    assert units[3] == ["顺序", "单位全称", "单位(机构)级别"]
    assert units[4:8] == [[1, "漯河市市场监督管理局", "正处级"], [2, "舞阳县市场监督管理局", "正科级"],
                          [3, "临颍县交通运输局", "正科级"], [4, "郾城区市场监督管理局", "正科级"]]
    persons = [list(r) for r in book["个人"].iter_rows(values_only=True)]
    assert persons[3] == ["顺序", "姓名", "单位全称", "处(科)室名称", "职务", "职级", "执法(监督)证件号"]
    assert persons[4] == [1, "李磊敏", "漯河市市场监督管理局", "法规科", "局长", "正处级", "ZF0001"]
    blocks = [row[0] for row in persons if isinstance(row[0], str) and row[0].startswith("推荐单位：")]
    assert [b.split("（")[0] for b in blocks] == ["推荐单位：漯河市", "推荐单位：河南省市场监督管理局", "推荐单位：济源示范区"]
    taken = [row for row in persons if isinstance(row[0], int)]
    assert len(taken) == 9 + 3 + 2


def test_xlsx_needs_an_output_file(pingcha):
    result = pingcha("cases", "pass-rate", S + "cases.csv", "--by", "unit", "--format", "xlsx", check=False)
    assert result.returncode == 64
    assert "--output" in result.stderr.decode()
