"""XLSX and XLS input: workbooks written by openpyxl, by hand (inline strings, rich text with
phonetic guides, formulas, errors, the 1904 date system) and by xlwt, read by pingcha and
compared value by value with python-calamine, the reference reader; domain commands give the
same results from a workbook as from its CSV; messages name the sheet and the cell."""
import csv
import datetime
import json
import zipfile

import openpyxl
import pyarrow.ipc as ipc
import python_calamine
import xlwt

from conftest import ROOT

SAMPLE = ROOT / "Datasets" / "sample"


def arrow_rows(pingcha, path, *extra):
    target = path.with_suffix(".arrow")
    pingcha("convert", str(path), "--output", str(target), "--schema", "none", "--no-cache", *extra)
    table = ipc.open_file(str(target)).read_all()
    table.validate(full=True)
    return table.column_names, [list(row.values()) for row in table.to_pylist()]


def calamine_rows(path, sheet=0, skip=0):
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_index(sheet).to_python(skip_empty_area=True)[skip:]
    header, body = rows[0], rows[1:]
    body = [row for row in body if any(cell != "" for cell in row)]
    return header, [[None if cell == "" else cell for cell in row] for row in body]


def normalise(value):
    """calamine gives whole numbers as floats; pingcha types a column of them as integers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def roster_workbook(path, epoch=None):
    book = openpyxl.Workbook()
    if epoch is not None:
        book.epoch = epoch
    sheet = book.active
    sheet.title = "名册"
    sheet.append(["河南省执法人员名册（2024年）"])
    sheet.merge_cells("A1:F1")
    sheet.append(["证件号", "姓名", "身份证号", "发证日期", "本年度办案数", "在岗"])
    sheet.append(["ZF0001", "李磊", "410102199001011234", datetime.date(2020, 5, 1), 12, True])
    sheet.append(["ZF0002", "张涛&<>\"", "41010219900101123X", datetime.date(2021, 3, 2), None, False])
    sheet.append(["ZF0003", None, "410102199001019999", datetime.date(1904, 1, 2), 3, None])
    sheet.append(["ZF0004", "王五", "410102199001010000", datetime.date(2024, 12, 31), 0, True])
    other = book.create_sheet("测试")
    other.append(["证件号", "得分"])
    other.append(["ZF0001", 92.5])
    other.append(["ZF0002", 84])
    book.save(path)


def test_openpyxl_workbook_matches_calamine(pingcha, tmp_path):
    for name, epoch in [("1900.xlsx", None), ("1904.xlsx", openpyxl.utils.datetime.CALENDAR_MAC_1904)]:
        path = tmp_path / name
        roster_workbook(path, epoch)
        header, rows = arrow_rows(pingcha, path)
        expected_header, expected = calamine_rows(path, skip=1)
        assert header == expected_header
        assert rows == [[normalise(cell) for cell in row] for row in expected], name
        # Hand-checked: the ID stays text, the date is a date, the title row is skipped and counted.
        assert rows[0][2] == "410102199001011234" and rows[0][3] == datetime.date(2020, 5, 1)
        assert rows[2][3] == datetime.date(1904, 1, 2)
        described = pingcha.json("describe", str(path), "--no-cache")["provenance"]["inputs"][0]
        assert described["sheet"] == "名册" and described["title_rows"] == 1 and described["rows"] == 4
        assert described["encoding"] == "xlsx"


def test_sheet_by_name_number_and_header_row(pingcha, tmp_path):
    path = tmp_path / "book.xlsx"
    roster_workbook(path)
    for selector in ["测试", "2"]:
        header, rows = arrow_rows(pingcha, path, "--sheet", selector)
        assert header == ["证件号", "得分"] and rows == [["ZF0001", 92.5], ["ZF0002", 84.0]]
    # --header-row 2 on the first sheet: the same table as the detection gives.
    assert arrow_rows(pingcha, path, "--header-row", "2") == arrow_rows(pingcha, path)
    missing = pingcha("describe", str(path), "--sheet", "名单", "--lang", "en", check=False)
    assert missing.returncode == 64
    assert "has no sheet '名单'; it has: 名册, 测试" in missing.stderr.decode()


def hand_made_workbook(path, date1904):
    """An xlsx written part by part: inline strings, a rich-text shared string with a phonetic
    guide, a formula's string result, an error cell, a styled date, cells without references."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<workbookPr date1904="{1 if date1904 else 0}"/><sheets><sheet name="验收" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">'
        '<si><t>单位</t></si><si><r><t>漯河市</t></r><r><rPr><b/></rPr><t xml:space="preserve">市场 监督管理局</t></r>'
        '<rPh sb="0" eb="3"><t>ルオホー</t></rPh></si><si><t>日期</t></si></sst>',
        "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>'
        '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="4" applyNumberFormat="1"/></cellXfs></styleSheet>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>说明</t></is></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="inlineStr"><is><t>金额</t></is></c></row>'
        '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="str"><f>CONCAT("A","&amp;B")</f><v>A&amp;B</v></c><c r="C2" s="1"><v>45000</v></c><c r="D2" s="2"><v>1234.5</v></c></row>'
        '<row r="4"><c t="inlineStr"><is><r><t>乙局</t></r></is></c><c t="e"><v>#N/A</v></c><c s="1"><v>45000.75</v></c><c><v>-0.125</v></c></row>'
        '</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)


def test_hand_made_parts(pingcha, tmp_path):
    for date1904 in [False, True]:
        path = tmp_path / f"hand-{date1904}.xlsx"
        hand_made_workbook(path, date1904)
        header, rows = arrow_rows(pingcha, path)
        assert header == ["单位", "说明", "日期", "金额"]
        expected_header, expected = calamine_rows(path)
        assert header == expected_header
        # 45000 is 2023-03-15 in the 1900 system and 2027-03-16 in the 1904 one; .75 is 18:00.
        day = datetime.date(2027, 3, 16) if date1904 else datetime.date(2023, 3, 15)
        assert [row[2] for row in expected] == [day, datetime.datetime.combine(day, datetime.time(18, 0))]
        assert rows == [["漯河市市场 监督管理局", "A&B", datetime.datetime.combine(day, datetime.time(0, 0)), 1234.5],
                        ["乙局", "#N/A", datetime.datetime.combine(day, datetime.time(18, 0)), -0.125]]
        # calamine shows an error cell as empty; pingcha keeps its text (#N/A), which a rule then refuses or reports.
        assert [row[1] for row in expected] == ["A&B", None] and expected[0][0] == "漯河市市场 监督管理局"
        # The missing row 3 is an empty row, counted.
        source = pingcha.json("describe", str(path), "--no-cache")["provenance"]["inputs"][0]
        assert source["blank_lines"] == 1


def test_xls_matches_calamine(pingcha, tmp_path):
    path = tmp_path / "tests.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("成绩")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    rows = [["证件号", "执法单位", "测试类型", "测试日期", "得分"],
            ["ZF0001", "漯河市市场监督管理局", "现场测试", datetime.date(2024, 6, 18), 92],
            ["ZF0002", "漯河市市场监督管理局", "现场测试", datetime.date(2024, 6, 18), 85.5],
            ["ZF0012", "漯河市交通运输局", "现场测试", datetime.date(2024, 6, 19), "缺考"]]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    book.save(str(path))
    header, got = arrow_rows(pingcha, path)
    expected_header, expected = calamine_rows(path)
    assert header == expected_header
    # 得分 holds numbers and 缺考, so without a schema it is a text column: its numbers as text.
    assert got == [[str(normalise(cell)) if isinstance(mine, str) and not isinstance(cell, str) else normalise(cell)
                    for mine, cell in zip(row_got, row)] for row_got, row in zip(got, expected)]
    assert [row[4] for row in got] == ["92", "85.5", "缺考"]
    # With its schema the tests export reads 缺考 as absent, as from a CSV.
    scored = pingcha.json("tests", "score", str(path), "--roster", str(SAMPLE / "roster.csv"), "--by", "执法单位", "--no-cache")
    assert {row["unit"]: row["tested"] for row in scored["rows"]} == {"漯河市交通运输局": 1, "漯河市市场监督管理局": 2}


def test_domain_command_from_a_workbook_equals_the_csv(pingcha, tmp_path):
    path = tmp_path / "cases.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "案卷"
    with open(SAMPLE / "cases.csv", encoding="utf-8", newline="") as handle:
        for index, row in enumerate(csv.reader(handle)):
            if index == 0:
                sheet.append(row)
                continue
            typed = list(row)
            typed[10] = datetime.date.fromisoformat(row[10])
            typed[11] = datetime.date.fromisoformat(row[11]) if row[11] else None
            typed[12] = float(row[12])
            typed[13] = int(row[13])
            sheet.append(typed)
    book.save(path)
    from_book = pingcha.json("cases", "pass-rate", str(path), "--by", "unit", "--no-cache")
    from_csv = pingcha.json("cases", "pass-rate", str(SAMPLE / "cases.csv"), "--by", "unit", "--no-cache")
    assert from_book["rows"] == from_csv["rows"]
    assert from_book["provenance"]["inputs"][0]["sheet"] == "案卷"


def test_errors_name_the_sheet_and_the_cell(pingcha, tmp_path):
    path = tmp_path / "tests.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "成绩"
    sheet.append(["证件号", "执法单位", "测试类型", "测试日期", "得分"])
    sheet.append(["ZF0001", "甲局", "现场测试", datetime.date(2024, 6, 18), 92])
    sheet.append(["ZF0002", "甲局", "现场测试", datetime.date(2024, 6, 18), "八十"])
    sheet.append(["ZF0003", "甲局", "现场测试", datetime.date(2024, 6, 18), 120])
    book.save(path)
    stopped = pingcha("tests", "score", str(path), "--roster", str(SAMPLE / "roster.csv"), "--lang", "en", "--no-cache", check=False)
    assert stopped.returncode == 65
    assert f"{path}:成绩!E3: '得分' value '八十' is not a number." in stopped.stderr.decode()
    rejects = tmp_path / "rejects.csv"
    kept = pingcha("describe", str(path), "--schema", "tests", "--rejects", str(rejects), "--lang", "en", "--no-cache", "--format", "json")
    assert json.loads(kept.stdout)["provenance"]["inputs"][0]["rejected"] == 2
    with open(rejects, encoding="utf-8-sig", newline="") as handle:
        rejected = list(csv.DictReader(handle))
    assert [(row["line"], row["column"]) for row in rejected] == [("3", "5"), ("4", "5")]
    assert rejected[0]["raw"] == "ZF0002,甲局,现场测试,2024-06-18,八十"


def test_a_damaged_workbook_is_refused_not_half_read(pingcha, tmp_path):
    path = tmp_path / "cases.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["案卷编号", "执法单位", "评查得分"])
    for number in range(3000):
        sheet.append([f"A-{number:05}", f"单位{number % 7}", 60 + number % 40])
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    # A byte in the middle of the sheet's compressed data (after its local header).
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle] ^= 0xFF
    path.write_bytes(bytes(data))
    result = pingcha("describe", str(path), "--no-cache", "--lang", "en", check=False)
    assert result.returncode == 65
    assert "is damaged: its part xl/worksheets/sheet1.xml does not decompress" in result.stderr.decode()


def test_a_workbook_pingcha_wrote_reads_back(pingcha, tmp_path):
    """libxlsxwriter's workbook (pingcha's own --format xlsx): shared strings, dates as styled
    numbers, 是/否 as text; read back, it gives the CSV's figures, and calamine agrees cell by cell."""
    book = tmp_path / "cases.xlsx"
    pingcha("query", "SELECT * FROM cases", "--table", f"cases={SAMPLE / 'cases.csv'}", "--format", "xlsx", "--output", str(book))
    from_book = pingcha.json("cases", "pass-rate", str(book), "--by", "unit", "--no-cache")
    from_csv = pingcha.json("cases", "pass-rate", str(SAMPLE / "cases.csv"), "--by", "unit", "--no-cache")
    assert from_book["rows"] == from_csv["rows"]
    header, rows = arrow_rows(pingcha, book)
    expected_header, expected = calamine_rows(book)
    assert header == expected_header
    # pingcha writes 是/否 as text and reads a column of them as booleans (calamine gives the text).
    yes_no = {"是": True, "否": False}
    assert rows == [[yes_no[cell] if isinstance(mine, bool) else normalise(cell) for mine, cell in zip(got, row)]
                    for got, row in zip(rows, expected)]
