#!/usr/bin/env python3
"""Writes Datasets/sample/cases.csv and its GB18030 twin from the hand-chosen scores below.

The scores are chosen so that every figure of the pass-rate table can be checked by hand
(see Datasets/sample/EXPECTED.md). Nothing here is random: run it again, get the same bytes.
"""
import csv
import datetime
import io
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
SAMPLE = HERE.parent / "sample"

# unit, city, county, level, sector, id prefix, {year: [scores]}
UNITS = [
    ("漯河市市场监督管理局", "漯河市", "", "市级", "市场监管", "LHSJ",
     {2022: [88.5, 92.0, 85.0], 2023: [90.0, 78.5, 95.5], 2024: [86.0, 91.0, 83.5, 89.5]}),
    ("漯河市交通运输局", "漯河市", "", "市级", "交通运输", "LHJT",
     {2022: [76.0, 81.5], 2023: [72.0, 68.0], 2024: [84.0, 79.5, 88.0]}),
    ("漯河市城市管理局", "漯河市", "", "市级", "城市管理", "LHCG",
     {2023: [70.0, 75.5, 82.0], 2024: [91.5, 87.0, 70.0]}),
    ("舞阳县市场监督管理局", "漯河市", "舞阳县", "县级", "市场监管", "WYSJ",
     {2022: [93.0, 88.0], 2023: [69.9, 85.5], 2024: [90.5, 94.0, 87.5, 80.0]}),
    ("舞阳县城市管理局", "漯河市", "舞阳县", "县级", "城市管理", "WYCG",
     {2022: [65.0, 74.0], 2023: [58.5, 77.0], 2024: [71.0, 69.0, 80.5]}),
    ("临颍县交通运输局", "漯河市", "临颍县", "县级", "交通运输", "LYJT",
     {2024: [82.5, 86.0, 79.0, 90.0, 88.5]}),
    ("郾城区市场监督管理局", "漯河市", "郾城区", "县级", "市场监管", "YCSJ",
     {2022: [84.0], 2023: [89.0, 91.0], 2024: [70.0, 69.9, 96.0]}),
    ("舞阳县北舞渡镇人民政府", "漯河市", "舞阳县", "乡镇", "综合执法", "BWDZ",
     {2023: [62.0, 75.0], 2024: [73.5, 81.0]}),
    ("河南省市场监督管理局", "省直", "", "省直", "市场监管", "HNSJ",
     {2022: [95.0, 92.5], 2023: [97.0, 90.0], 2024: [93.5, 98.0]}),
    ("河南省交通运输厅", "省直", "", "省直", "交通运输", "HNJT",
     {2022: [80.0, 85.0], 2023: [88.0], 2024: [76.5, 90.0, 83.0]}),
]

VIOLATIONS = {
    "市场监管": ["销售过期食品", "未按规定公示价格", "无证经营", "虚假宣传, 误导消费者"],
    "交通运输": ["超限运输", "未取得道路运输经营许可", "客车超员"],
    "城市管理": ["占道经营", "违规设置户外广告", "未经批准挖掘道路"],
    "综合执法": ["违法占用耕地建房", "焚烧秸秆"],
}
CASE_TYPES = ["行政处罚", "行政处罚", "行政检查", "行政处罚", "行政强制"]
FILING_DELAYS = [3, 15, 16, None, 40]
# Numbering gaps on purpose (DOMAIN.md §2.1 audit): 河南省交通运输厅 2024 has no 003.
SKIPPED_NUMBERS = {("HNJT", 2024): {3}}
HEADER = ["案卷编号", "省辖市", "县区", "执法单位", "单位层级", "执法领域", "案件类型", "程序类型",
          "重大案件", "违法行为", "决定日期", "备案日期", "评查得分", "评查年度"]


def rows():
    counter = 0
    majors = 0
    for unit, city, county, level, sector, prefix, years in UNITS:
        for year, scores in years.items():
            numbers = [n for n in range(1, len(scores) + 10) if n not in SKIPPED_NUMBERS.get((prefix, year), set())]
            for seq, score in zip(numbers, scores):
                counter += 1
                case_type = CASE_TYPES[counter % len(CASE_TYPES)]
                procedure = "简易程序" if counter % 4 == 0 else "普通程序"
                major = case_type == "行政处罚" and procedure == "普通程序" and counter % 3 == 0
                month = 1 + (counter * 5) % 12
                day = 1 + (counter * 7) % 28
                decided = datetime.date(year, month, day)
                filed = ""
                if major:
                    # Filing delays in turn: on time (3 days, exactly 15 days), late (16, 40 days), never filed.
                    delay = FILING_DELAYS[majors % len(FILING_DELAYS)]
                    majors += 1
                    if delay is not None:
                        filed = (decided + datetime.timedelta(days=delay)).isoformat()
                violation = VIOLATIONS[sector][counter % len(VIOLATIONS[sector])]
                yield [f"{prefix}-{year}-{seq:03d}", city, county, unit, level, sector, case_type, procedure,
                       "是" if major else "否", violation, decided.isoformat(), filed, f"{score:.1f}", str(year)]


def main():
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows():
        writer.writerow(row)
    text = buffer.getvalue()
    (SAMPLE / "cases.csv").write_bytes(text.encode("utf-8"))
    (SAMPLE / "cases.gb18030.csv").write_bytes(text.encode("gb18030"))


if __name__ == "__main__":
    main()
