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


def chart_sheets(path):
    """Each chart sheet's title, chart kind, chart title and series (categories, values) refs."""
    book = openpyxl.load_workbook(path)
    found = {}
    for sheet in book.chartsheets:
        for chart in sheet._charts:
            title = chart.title.tx.rich.p[0].r[0].t
            series = [(s.cat.strRef.f if s.cat and s.cat.strRef else None, s.val.numRef.f) for s in chart.series]
            found[sheet.title] = (type(chart).__name__, title, series, chart)
    return book, found


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0] + ("-" + a[1] if not a[1].startswith("Datasets") else ""))
def test_every_table_sheet_prints_as_an_office_expects(pingcha, tmp_path, args):
    out = tmp_path / "print.xlsx"
    pingcha(*args, "--format", "xlsx", "--output", str(out))
    book = openpyxl.load_workbook(out)
    about = book["说明"]
    for sheet in book.worksheets:
        if sheet.title in ("说明", "风险等级统计"):
            continue
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0  # one page wide
        assert sheet.print_title_rows == "$1:$1"  # the header row on every page
        assert sheet.oddHeader.center.text == sheet["A1"].value or sheet.oddHeader.center.text  # the title
        assert sheet.oddFooter.left.text.startswith("输入：")  # the first input, from the 说明 provenance
        assert sheet.oddFooter.right.text == "第 &P 页，共 &N 页"
        # Landscape when the columns are wide (more than 100 characters in all), else portrait.
        widths = sum(sheet.column_dimensions[openpyxl.utils.get_column_letter(c)].width or 0 for c in range(1, sheet.max_column + 1))
        assert sheet.page_setup.orientation == ("landscape" if widths > 100 + 1e-9 else "portrait"), (sheet.title, widths)
    assert about["A1"].value is not None
    # IDs stored as text show no green warning: the whole sheet ignores "number stored as text".
    import zipfile
    with zipfile.ZipFile(out) as archive:
        first = archive.read("xl/worksheets/sheet1.xml").decode()
    assert '<ignoredError sqref="A1:XFD1048576" numberStoredAsText="1"/>' in first


def test_pass_rate_charts(pingcha, tmp_path):
    out = tmp_path / "pass.xlsx"
    pingcha("cases", "pass-rate", S + "cases.csv", "--by", "unit", "--format", "xlsx", "--output", str(out))
    book, charts = chart_sheets(out)
    table = "'案卷评查合格率（按执法单位）'"
    kind, title, series, chart = charts["合格率图"]
    assert kind == "BarChart" and title == "案卷评查合格率（按执法单位，按合格率排序）"
    # Ten units: categories are the unit column (B), values the pass rate (E), rows 2–11 in rank order.
    assert series == [(f"{table}!$B$2:$B$11", f"{table}!$E$2:$E$11")]
    # openpyxl's x axis is the category axis, its y axis the values.
    assert chart.x_axis.title.tx.rich.p[0].r[0].t == "执法单位" and chart.y_axis.title.tx.rich.p[0].r[0].t == "合格率"
    assert chart.x_axis.scaling.orientation == "maxMin"  # rank 1 at the top
    assert chart.y_axis.numFmt.formatCode == "0%" and chart.y_axis.scaling.max == 1
    kind, title, series, chart = charts["平均分图"]
    assert series == [(f"{table}!$B$2:$B$11", f"{table}!$F$2:$F$11")]
    assert chart.x_axis.crossesAt == 70  # the category axis stands at 70: the pass line is the bars' base
    assert "70 分线" in title
    # The bars follow the table: its first rows are the pass rate's ranks.
    sheet = book.worksheets[0]
    rates = [sheet.cell(row=r, column=5).value for r in range(2, 12)]
    assert rates == sorted(rates, reverse=True)


def test_satisfaction_and_risk_charts(pingcha, tmp_path):
    out = tmp_path / "sat.xlsx"
    pingcha("survey", "satisfaction", S + "survey.csv", "--by", "unit", "--format", "xlsx", "--output", str(out))
    _, charts = chart_sheets(out)
    kind, title, series, chart = charts["满意度图"]
    table = "'满意度（按执法单位）'"
    assert kind == "LineChart" and title == "满意度指数及其 95% 置信区间（按执法单位）"
    # Upper bound (E), lower bound (D), index (C) over the unit column (A); the high-low lines draw the interval.
    assert series == [(f"{table}!$A$2:$A$11", f"{table}!${c}$2:${c}$11") for c in "EDC"]
    assert chart.hiLowLines is not None
    out = tmp_path / "risk.xlsx"
    pingcha("risk", S + "cases.csv", "--format", "xlsx", "--output", str(out))
    book, charts = chart_sheets(out)
    kind, title, series, _ = charts["风险等级图"]
    assert kind == "BarChart" and title == "违法风险点按风险等级"
    assert series == [("'风险等级统计'!$A$2:$A$4", "'风险等级统计'!$B$2:$B$4")]
    counts = {row[0]: row[1] for row in book["风险等级统计"].iter_rows(min_row=2, values_only=True)}
    # The counts are the risk list's own, by level.
    listed = pingcha.json("risk", S + "cases.csv")["rows"]
    assert counts == {"高风险": sum(r["level"] == "high" for r in listed), "中风险": sum(r["level"] == "medium" for r in listed),
                      "低风险": sum(r["level"] == "low" for r in listed)}
