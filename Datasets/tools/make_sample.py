#!/usr/bin/env python3
"""Writes the seven sample exports and the risk catalog in Datasets/sample/ (and cases.gb18030.csv) from the
hand-chosen values below.

The values are chosen so that every figure can be checked by hand and every rule of
DOMAIN.md §2 has a case to show (see Datasets/sample/EXPECTED.md). Nothing here is random:
run it again, get the same bytes.
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


def write_csv(name, header, rows, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    (SAMPLE / name).write_bytes(buffer.getvalue().encode(encoding))
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# roster: the officers of the ten units, plus the theory-test takers of the competition teams.
# 漯河市市场监督管理局 holds exactly ZF0001…ZF0010, all valid, so that a draw there with
# DOMAIN.md's seed reproduces its test vector (ZF0006, ZF0003, ZF0007, ZF0005, ZF0001).
UNIT_INFO = {u[0]: u for u in UNITS}
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑"

# unit → list of (staff type, certificate status, cases this year, grade, post)
STAFF = {
    "漯河市市场监督管理局": [("公务员", "有效", 12, "正处级", "局长"), ("公务员", "有效", 8, "副处级", "副局长"),
                        ("公务员", "有效", 15, "正科级", "科长"), ("参公管理", "有效", 9, "一级科员", "科员"),
                        ("公务员", "有效", 0, "一级科员", "科员"), ("事业编制", "有效", 6, "四级主任科员", "科员"),
                        ("公务员", "有效", 11, "副科级", "副科长"), ("公务员", "有效", 7, "一级科员", "科员"),
                        ("参公管理", "有效", 4, "一级科员", "科员"), ("公务员", "有效", 10, "正科级", "大队长")],
    "漯河市交通运输局": [("公务员", "有效", 14, "正处级", "局长"), ("公务员", "有效", 9, "正科级", "科长"),
                      ("工勤人员", "注销", 0, "", "驾驶员"), ("参公管理", "有效", 5, "一级科员", "科员"),
                      ("公务员", "有效", 3, "副科级", "副科长"), ("事业编制", "过期", 2, "一级科员", "科员")],
    "漯河市城市管理局": [("公务员", "有效", 20, "副处级", "副局长"), ("参公管理", "有效", 18, "正科级", "大队长"),
                      ("事业编制", "有效", 0, "一级科员", "科员"), ("公务员", "有效", 7, "一级科员", "科员"),
                      ("参公管理", "有效", 9, "副科级", "副大队长"), ("公务员", "有效", 4, "一级科员", "科员")],
    "舞阳县市场监督管理局": [("公务员", "有效", 10, "正科级", "局长"), ("公务员", "有效", 6, "一级科员", "科员"),
                        ("参公管理", "有效", 0, "一级科员", "科员"), ("公务员", "有效", 0, "副科级", "副科长"),
                        ("事业编制", "有效", 5, "四级主任科员", "科员"), ("公务员", "有效", 8, "一级科员", "科员")],
    "舞阳县城市管理局": [("公务员", "有效", 9, "正科级", "局长"), ("临时工", "有效", 3, "", "协管员"),
                      ("参公管理", "有效", 6, "一级科员", "科员"), ("公务员", "有效", 0, "一级科员", "科员"),
                      ("事业编制", "有效", 4, "副科级", "副大队长"), ("公务员", "注销", 0, "一级科员", "科员")],
    "临颍县交通运输局": [("公务员", "有效", 8, "正科级", "局长"), ("公务员", "有效", 7, "一级科员", "科员"),
                      ("参公管理", "有效", 5, "一级科员", "科员"), ("公务员", "有效", 6, "副科级", "副科长"),
                      ("劳动合同工", "有效", 2, "", "协管员")],
    "郾城区市场监督管理局": [("公务员", "有效", 9, "正科级", "局长"), ("公务员", "有效", 4, "一级科员", "科员"),
                        ("参公管理", "有效", 6, "一级科员", "科员"), ("公务员", "过期", 0, "一级科员", "科员"),
                        ("公务员", "有效", 3, "副科级", "副科长")],
    "舞阳县北舞渡镇人民政府": [("公务员", "有效", 2, "副科级", "副镇长"), ("事业编制", "有效", 1, "一级科员", "科员"),
                          ("参公管理", "有效", 0, "一级科员", "科员"), ("公务员", "有效", 3, "一级科员", "科员")],
    "河南省市场监督管理局": [("公务员", "有效", 5, "正处级", "处长"), ("公务员", "有效", 7, "副处级", "副处长"),
                        ("公务员", "有效", 9, "四级主任科员", "科员"), ("参公管理", "有效", 4, "一级科员", "科员"),
                        ("公务员", "有效", 6, "一级科员", "科员")],
    "河南省交通运输厅": [("公务员", "有效", 6, "正处级", "处长"), ("公务员", "有效", 8, "四级主任科员", "科员"),
                      ("参公管理", "有效", 3, "一级科员", "科员"), ("公务员", "有效", 5, "一级科员", "科员")],
}
# Teams of the competition that have no other sample data: a few theory-test takers each.
OTHER_TEAMS = {"平顶山市": ("平顶山市市场监督管理局", "市级"), "许昌市": ("许昌市交通运输局", "市级"),
               "济源示范区": ("济源示范区城市管理局", "市级")}
OFFICES = ["法规科", "执法一科", "执法二科", "综合执法大队", "稽查支队"]


def roster_rows():
    rows = []
    serial = 0
    for unit, staff in STAFF.items():
        _, city, county, level, _, _, _ = UNIT_INFO[unit]
        for index, (staff_type, status, cases, grade, post) in enumerate(staff):
            serial += 1
            name = SURNAMES[serial % len(SURNAMES)] + GIVEN[(serial * 7) % len(GIVEN)] + (GIVEN[(serial * 3) % len(GIVEN)] if serial % 3 else "")
            cert_type = "监督证" if post in ("局长", "处长") and level == "省直" else "执法证"
            rows.append([f"ZF{serial:04d}", name, city, county, unit, level, OFFICES[index % len(OFFICES)], post, grade,
                         staff_type, cert_type, status, str(cases)])
    for team, (unit, level) in OTHER_TEAMS.items():
        for index in range(2):
            serial += 1
            name = SURNAMES[serial % len(SURNAMES)] + GIVEN[(serial * 5) % len(GIVEN)]
            grade = "正处级" if team == "济源示范区" and index == 0 else "一级科员"
            rows.append([f"ZF{serial:04d}", name, team, "", unit, level, "法规科", "科员" if index else "科长", grade,
                         "公务员", "执法证", "有效", str(5 + index)])
    return rows


ROSTER_HEADER = ["证件号", "姓名", "省辖市", "县区", "执法单位", "单位层级", "处(科)室", "职务", "职级", "身份类别", "证件类型",
                 "证件状态", "本年度办案数"]


# ---------------------------------------------------------------------------------------------
# tests: an on-site test for every officer of the ten units (scores from a fixed cycle, one
# absent, some below 60) and the theory tests of the competition teams.
ONSITE_SCORES = [92.0, 85.5, 78.0, 66.0, 88.0, 59.5, 95.0, 81.0, 73.5, 90.0, 84.0]
THEORY = {  # team → theory scores; averages 83, 85, 79, 91, 88.5, 80
    "漯河市": [90.0, 85.0, 80.0, 77.0],
    "平顶山市": [86.0, 84.0],
    "许昌市": [80.0, 78.0],
    "济源示范区": [90.0, 92.0],
    "河南省市场监督管理局": [88.0, 89.0],
    "河南省交通运输厅": [80.0, 80.0],
}


def tests_rows(roster):
    rows = []
    city_people = [r for r in roster if r[4] in STAFF]
    for index, person in enumerate(city_people):
        score = "缺考" if person[0] == "ZF0012" else f"{ONSITE_SCORES[index % len(ONSITE_SCORES)]:.1f}"
        rows.append([person[0], person[4], "现场测试", "2024-06-18", score])
    for team, scores in THEORY.items():
        if team in OTHER_TEAMS:
            people = [r for r in roster if r[2] == team]
        elif team == "漯河市":
            people = [r for r in roster if r[2] == "漯河市" and r[9] in ("公务员", "参公管理")][:len(scores)]
        else:
            people = [r for r in roster if r[4] == team][:len(scores)]
        for person, score in zip(people, scores):
            rows.append([person[0], person[4], "理论测试", "2024-09-20", f"{score:.1f}"])
    return rows


# ---------------------------------------------------------------------------------------------
# survey: 30 to 96 responses for nine units and 8 for 舞阳县北舞渡镇人民政府 (too few to rank);
# 舞阳县城市管理局 has 30 but a satisfied-rate interval wider than ±10 points. Half the
# responses of each unit are dated 2023, half 2024. Answers come from fixed cycles; online answers are numbers.
LABELS = ["非常不满意", "不满意", "基本满意", "满意", "非常满意"]
SURVEY_PLAN = {  # unit → (responses, answer cycle)
    "漯河市市场监督管理局": (36, [5, 4, 4, 5, 3, 4]),
    "漯河市交通运输局": (70, [4, 3, 4, 2, 4, 3]),
    "漯河市城市管理局": (96, [3, 4, 2, 3, 4, 3, 1]),
    "舞阳县市场监督管理局": (32, [5, 5, 4, 4, 3]),
    "舞阳县城市管理局": (30, [2, 3, 3, 4, 2, 1, 3]),
    "临颍县交通运输局": (33, [4, 4, 5, 3]),
    "郾城区市场监督管理局": (60, [4, 5, 3, 4, 4, 2]),
    "舞阳县北舞渡镇人民政府": (8, [5, 4, 3, 4]),
    "河南省市场监督管理局": (38, [5, 4, 5, 5, 4]),
    "河南省交通运输厅": (31, [4, 3, 5, 4, 3]),
}
CHANNELS = ["回访", "座谈", "问卷", "暗访", "在线"]
RESPONDENTS = ["行政相对人", "企业", "群众"]


def survey_rows():
    rows = []
    counter = 0
    for unit, (count, cycle) in SURVEY_PLAN.items():
        _, city, county, _, _, _, _ = UNIT_INFO[unit]
        for r in range(count):
            counter += 1
            channel = CHANNELS[counter % len(CHANNELS)]
            year = 2023 if r < count // 2 else 2024
            date = datetime.date(year, 1 + r % 12, 1 + (r * 3) % 28).isoformat()
            answers = []
            for item in range(6):  # 题1…题5, then 总体评价
                value = cycle[(r + item) % len(cycle)]
                if item == 2 and r % 11 == 5:
                    answers.append("")  # an item left unanswered
                else:
                    answers.append(str(value) if channel == "在线" else LABELS[value - 1])
            rows.append([f"WJ{counter:04d}", city, county, unit, channel, RESPONDENTS[counter % 3], date] + answers)
    return rows


SURVEY_HEADER = ["问卷编号", "省辖市", "县区", "执法单位", "调查方式", "受访对象", "调查日期", "题1", "题2", "题3", "题4", "题5", "总体评价"]


# ---------------------------------------------------------------------------------------------
# competition: a tie at 82.00 (平顶山市 85×40% + 80×60%, 许昌市 79×40% + 84×60%) and a team
# found cheating (济源示范区).
COMPETITION = [
    ["漯河市", "理论+模拟", "86.0", "否"],
    ["平顶山市", "理论+模拟", "80.0", "否"],
    ["许昌市", "理论+模拟", "84.0", "否"],
    ["济源示范区", "理论+模拟", "93.0", "是"],
    ["河南省市场监督管理局", "仅理论", "", "否"],
    ["河南省交通运输厅", "理论+模拟", "75.0", "否"],
]

# acceptance: twelve units apply under pingdingshan-2019 (two from outside the case sample);
# 漯河市城市管理局 is vetoed; two deductions exceed their item's points; a bonus over the cap;
# 舞阳县城市管理局 and 临颍县城市管理局 tie at 92 across the 10th place.
P = "pingdingshan-2019"
R = "responsibility-2022"
ACCEPTANCE = [
    ["漯河市市场监督管理局", P, "1.2", "1", "", "否", "制度未上墙"],
    ["漯河市市场监督管理局", P, "B", "", "12", "否", "首创“说理式”执法文书，获省级推广"],
    ["河南省市场监督管理局", P, "2.2", "2", "", "否", "培训记录不全"],
    ["河南省市场监督管理局", P, "B", "", "5", "否", "信用监管创新"],
    ["临颍县交通运输局", P, "1.1", "2", "", "否", "领导小组未及时调整"],
    ["郾城区市场监督管理局", P, "3.3", "1", "", "否", "风险点未公示"],
    ["郾城区市场监督管理局", P, "3.4", "1", "", "否", "调解台账不全"],
    ["河南省交通运输厅", P, "2.1", "4", "", "否", "座谈记录缺失"],
    ["舞阳县北舞渡镇人民政府", P, "1.3", "3", "", "否", "年度工作未完成"],
    ["舞阳县北舞渡镇人民政府", P, "3.6", "1.5", "", "否", "模拟执法材料不全"],
    ["舞阳县太尉镇人民政府", P, "4.1", "5", "", "否", "平台数据未录入"],
    ["漯河市交通运输局", P, "4.2", "3", "", "否", "暗访发现问题"],
    ["漯河市交通运输局", P, "5.1", "2.5", "", "否", "回访记录不全"],
    ["舞阳县市场监督管理局", P, "3.1", "8", "", "否", "行政指导案卷缺失, 扣完为止"],
    ["舞阳县城市管理局", P, "5.1", "8", "", "否", "案卷不规范"],
    ["临颍县城市管理局", P, "1.4", "2", "", "否", "未培育下属示范点"],
    ["临颍县城市管理局", P, "2.2", "1", "", "否", "培训次数不足"],
    ["临颍县城市管理局", P, "2.3", "3", "", "否", "在线测试成绩偏低"],
    ["临颍县城市管理局", P, "3.2", "3", "", "否", "统计分析缺一次"],
    ["漯河市城市管理局", P, "1.1", "1", "", "否", "领导机制不健全"],
    ["漯河市城市管理局", P, "", "", "", "是", "近三年有严重违法行政行为"],
    ["舞阳县市场监督管理局", R, "2.5", "3", "", "否", "程序不规范"],
    ["舞阳县市场监督管理局", R, "2.6", "13", "", "否", "三项制度未落实"],
    ["舞阳县市场监督管理局", R, "B", "", "8", "否", "获省级表彰"],
    ["郾城区市场监督管理局", R, "R0.4", "100", "", "否", "领导干部被追究刑事责任"],
]

# candidates: 漯河市 (a prefecture city: 4 units, 10 persons) puts forward 6 units and 13
# persons, four of them division level (处级); 河南省市场监督管理局 (2 units, 3 persons) four
# persons, one division level; 济源示范区 exactly its quota.
CANDIDATE_HEADER = ["推荐单位", "对象类别", "推荐顺序", "单位全称", "单位级别", "姓名", "处(科)室", "职务", "职级", "证件号",
                    "2015年以来违法行政行为", "从事年限", "身份类别"]


def candidates_rows(roster):
    by_cert = {r[0]: r for r in roster}
    rows = []
    city_units = [("漯河市市场监督管理局", "正处级", "否"), ("舞阳县市场监督管理局", "正科级", "否"),
                  ("漯河市城市管理局", "正处级", "是"), ("临颍县交通运输局", "正科级", "否"),
                  ("郾城区市场监督管理局", "正科级", "否"), ("舞阳县北舞渡镇人民政府", "正科级", "否")]
    for order, (unit, level, violation) in enumerate(city_units, start=1):
        rows.append(["漯河市", "单位", str(order), unit, level, "", "", "", "", "", violation, "", ""])

    # 身份类别 is left empty for certificate holders (read from the roster by 证件号 when needed) and
    # given for persons without a certificate, whose 3-years route needs 正式工作人员.
    def person(recommender, order, cert, violation="否", years="6", certificate=True, grade=None, staff_type=""):
        r = by_cert[cert]
        rows.append([recommender, "个人", str(order), r[4], "", r[1], r[6], r[7], r[8] if grade is None else grade,
                     cert if certificate else "", violation, years, staff_type])

    # 漯河市's persons in its order. Division level (处级): ZF0001, ZF0002, ZF0011, ZF0017.
    person("漯河市", 1, "ZF0001")
    person("漯河市", 2, "ZF0003")
    person("漯河市", 3, "ZF0002")
    person("漯河市", 4, "ZF0011")
    person("漯河市", 5, "ZF0004", violation="是")
    # ZF0013 (朱磊霞): her certificate is 注销 and left off; 工勤人员 with no grade, as in the roster.
    person("漯河市", 6, "ZF0013", years="2", certificate=False, staff_type="工勤人员")
    person("漯河市", 7, "ZF0017")
    person("漯河市", 8, "ZF0018")
    person("漯河市", 9, "ZF0019")
    person("漯河市", 10, "ZF0023")
    person("漯河市", 11, "ZF0024")
    person("漯河市", 12, "ZF0029")
    person("漯河市", 13, "ZF0035")
    person("漯河市", 14, "ZF0036")
    person("漯河市", 14, "ZF0040")
    person("漯河市", 15, "ZF0041")
    # 河南省市场监督管理局: at most 3 persons, none of them 处级 (floor(20% × 3) = 0).
    # The department itself is 正厅级, above 正处级: outside the scope (§2.9).
    rows.append(["河南省市场监督管理局", "单位", "1", "河南省市场监督管理局", "正厅级", "", "", "", "", "", "否", "", ""])
    person("河南省市场监督管理局", 1, "ZF0049")
    person("河南省市场监督管理局", 2, "ZF0051")
    person("河南省市场监督管理局", 3, "ZF0052")
    person("河南省市场监督管理局", 4, "ZF0053")
    # 济源示范区: 2 units; 3 persons, one 处级 (skipped), one with no certificate but 5 years in the role.
    rows.append(["济源示范区", "单位", "1", "济源示范区城市管理局", "正处级", "", "", "", "", "", "否", "", ""])
    rows.append(["济源示范区", "单位", "2", "济源示范区市场监督管理局", "正处级", "", "", "", "", "", "否", "", ""])
    person("济源示范区", 1, "ZF0062")
    person("济源示范区", 2, "ZF0063")
    rows.append(["济源示范区", "个人", "3", "济源示范区城市管理局", "", "孔明", "综合执法大队", "执法队员", "办事员", "", "否", "5", "事业编制"])
    return rows


# ---------------------------------------------------------------------------------------------
# risk_catalog: an office's catalog for the published risk list (§2.8). It covers ten of the
# sample's twelve violations; the two of 综合执法 (焚烧秸秆, 违法占用耕地建房) are left out, so the
# list names them as missing from the catalog.
RISK_CATALOG_HEADER = ["违法行为", "法律依据", "裁量标准", "法律后果", "防控措施", "责任单位"]
RISK_CATALOG = [
    ["销售过期食品", "《中华人民共和国食品安全法》第三十四条、第一百二十四条",
     "货值不足一万元的，处五万元以上十万元以下罚款；一万元以上的，处货值十倍以上二十倍以下罚款",
     "没收违法所得和违法经营的食品，并处罚款；情节严重的，吊销许可证", "每月开展临期食品清查，督促经营者建立进货查验记录", "市场监管部门"],
    ["无证经营", "《无证无照经营查处办法》第十三条",
     "初次违法且及时改正的，可以不予处罚；拒不改正的，处一万元以下罚款", "责令停止违法行为，没收违法所得，并处罚款",
     "推行证照联办，定期比对许可和登记信息", "市场监管部门"],
    ["未按规定公示价格", "《中华人民共和国价格法》第十三条；《明码标价和禁止价格欺诈规定》第二十一条",
     "责令改正；拒不改正的，处五千元以下罚款", "责令改正，可以处五千元以下罚款", "开展明码标价提醒告诫，公示价格举报渠道", "市场监管部门"],
    ["虚假宣传, 误导消费者", "《中华人民共和国反不正当竞争法》第八条、第二十条",
     "处二十万元以上一百万元以下罚款；情节严重的，处一百万元以上二百万元以下罚款", "责令停止违法行为，处罚款，可以吊销营业执照",
     "加强广告和网络交易监测，建立典型案例曝光制度", "市场监管部门"],
    ["超限运输", "《公路安全保护条例》第三十条、第六十四条", "按超限幅度分档，最高处三万元罚款",
     "责令改正，处罚款；一年内违法超限运输三次以上的，吊销车辆营运证", "源头企业装载监管，治超站点全天候检测", "交通运输部门"],
    ["未取得道路运输经营许可", "《中华人民共和国道路运输条例》第六十三条",
     "违法所得二万元以上的，处违法所得二倍以上十倍以下罚款；没有或不足二万元的，处一万元以上十万元以下罚款",
     "责令停止经营，没收违法所得，并处罚款；构成犯罪的，依法追究刑事责任", "开展非法营运专项整治，畅通举报渠道", "交通运输部门"],
    ["客车超员", "《中华人民共和国道路交通安全法》第四十九条、第九十二条",
     "超员未达百分之二十的，处二百元以上五百元以下罚款；超员百分之二十以上的，处五百元以上二千元以下罚款",
     "处罚款，扣留机动车至违法状态消除", "客运站出站检查，重点时段路面稽查", "交通运输部门"],
    ["占道经营", "《城市市容和环境卫生管理条例》第十四条、第三十六条", "责令改正，可以并处警告、罚款",
     "责令改正，并处警告、罚款", "划定疏导点，错时执法和柔性执法相结合", "城市管理部门"],
    ["未经批准挖掘道路", "《城市道路管理条例》第三十三条、第四十二条", "责令限期改正，可以处二万元以下罚款",
     "责令限期改正，处罚款；造成损失的，依法承担赔偿责任", "挖掘审批信息公开，施工现场巡查", "城市管理部门"],
    ["违规设置户外广告", "《城市市容和环境卫生管理条例》第十一条、第三十六条", "责令限期拆除；逾期不拆除的，依法强制拆除，可以并处罚款",
     "责令限期改正或拆除，可以并处警告、罚款", "户外广告设置规划公示，新设广告备案核查", "城市管理部门"],
]


def main():
    write_csv("risk_catalog.csv", RISK_CATALOG_HEADER, RISK_CATALOG)
    text = write_csv("cases.csv", HEADER, list(rows()))
    (SAMPLE / "cases.gb18030.csv").write_bytes(text.encode("gb18030"))
    roster = roster_rows()
    write_csv("roster.csv", ROSTER_HEADER, roster)
    write_csv("tests.csv", ["证件号", "执法单位", "测试类型", "测试日期", "得分"], tests_rows(roster))
    write_csv("survey.csv", SURVEY_HEADER, survey_rows())
    write_csv("competition.csv", ["参赛队伍", "参赛类别", "模拟执法得分", "违规"], COMPETITION)
    write_csv("acceptance.csv", ["申报单位", "标准", "项目", "扣分", "加分", "否决", "说明"], ACCEPTANCE)
    write_csv("candidates.csv", CANDIDATE_HEADER, candidates_rows(roster))


if __name__ == "__main__":
    main()
