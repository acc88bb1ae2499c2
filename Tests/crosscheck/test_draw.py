"""The officer and case-file draws re-performed independently with Python's hashlib (DOMAIN.md §2.3)."""
import csv
import hashlib
import json
import math
from fractions import Fraction
import subprocess

from conftest import ROOT

ROSTER = ROOT / "Datasets" / "sample" / "roster.csv"
SEED = "2025-06-01|draw-01|4719302685"


def reperform(seed, count=5, replacements=3, roster=ROSTER, stratum="执法单位"):
    with open(roster, encoding="utf-8", newline="") as handle:
        people = [row for row in csv.DictReader(handle) if row["证件状态"] == "有效"]
    roster_hash = hashlib.sha256("\n".join(sorted(p["证件号"] for p in people)).encode()).hexdigest()
    ticket = {p["证件号"]: hashlib.sha256(f"{seed}|{p['证件号']}".encode()).hexdigest() for p in people}
    ordered = sorted(people, key=lambda p: (int(ticket[p["证件号"]], 16), p["证件号"]))
    rows = []
    for unit in sorted({p[stratum] for p in people}, key=lambda u: u.encode()):
        members = [p for p in ordered if p[stratum] == unit]
        for index, person in enumerate(members[:count + replacements]):
            rows.append({"stratum": unit, "order": index + 1, "cert_no": person["证件号"], "name": person["姓名"],
                         "ticket": ticket[person["证件号"]], "role": "drawn" if index < count else "replacement"})
    return roster_hash, rows


def test_draw_matches_hashlib_reperformance(pingcha):
    result = pingcha.json("draw", str(ROSTER), "--seed", SEED)
    roster_hash, rows = reperform(SEED)
    assert result["rows"] == rows
    assert result["provenance"]["rules"]["roster_hash"] == roster_hash
    assert result["provenance"]["rules"]["seed"] == SEED
    first = [r["cert_no"] for r in result["rows"] if r["stratum"] == "漯河市市场监督管理局" and r["role"] == "drawn"]
    assert first == ["ZF0006", "ZF0003", "ZF0007", "ZF0005", "ZF0001"]
    # Not valid certificates never enter: ZF0013, ZF0016, ZF0034, ZF0043.
    assert not {"ZF0013", "ZF0016", "ZF0034", "ZF0043"} & {r["cert_no"] for r in result["rows"]}
    excluded = {e["reason"]: e["rows"] for e in result["provenance"]["excluded"]}
    assert excluded["certificate_not_valid"] == 4


def test_generated_province_draw_matches_hashlib(pingcha, tmp_path):
    # 3,000 officers drawn per city: strata of a hundred or more valid certificates, so each
    # stratum's candidates are cut down many times before the end (the per-stratum selection).
    pingcha("generate", "--cases", "2000", "--officers", "3000", "--seed", "11", "--out", str(tmp_path))
    roster = tmp_path / "roster.csv"
    result = pingcha.json("draw", str(roster), "--seed", "seed-42", "--per", "省辖市", "--count", "7", "--replacements", "4")
    roster_hash, rows = reperform("seed-42", count=7, replacements=4, roster=roster, stratum="省辖市")
    assert result["provenance"]["rules"]["roster_hash"] == roster_hash
    assert result["rows"] == rows
    with open(roster, encoding="utf-8", newline="") as handle:
        valid = [row["省辖市"] for row in csv.DictReader(handle) if row["证件状态"] == "有效"]
    assert min(valid.count(city) for city in set(valid)) > 40


def test_draw_is_deterministic_and_seed_sensitive(pingcha):
    first = pingcha("draw", str(ROSTER), "--seed", "abc", "--format", "json").stdout
    second = pingcha("draw", str(ROSTER), "--seed", "abc", "--format", "json").stdout
    other = pingcha("draw", str(ROSTER), "--seed", "abd", "--format", "json").stdout
    assert first == second
    assert json.loads(first)["rows"] != json.loads(other)["rows"]


def test_checks_on_the_drawn(pingcha):
    checks = {row["stratum"]: row for row in pingcha.json("draw", str(ROSTER), "--seed", SEED)["checks"]}
    assert checks["漯河市市场监督管理局"]["no_cases_this_year"] == "ZF0005"
    assert checks["漯河市市场监督管理局"]["activity_deduction"] == -1
    # 舞阳县城市管理局 has five valid certificates, so all five are drawn, its 临时工 ZF0030 among them.
    wuyang = checks["舞阳县城市管理局"]
    assert wuyang["eligible"] == 5 and wuyang["drawn"] == 5
    assert wuyang["ineligible_staff"] == "ZF0030" and wuyang["basic_deduction"] == -100
    assert wuyang["no_cases_this_year"] == "ZF0032" and wuyang["activity_deduction"] == -1


def test_verify_accepts_the_record_and_names_an_alteration(pingcha, tmp_path):
    record = tmp_path / "draw.json"
    pingcha("draw", str(ROSTER), "--seed", SEED, "--record", str(record))
    verified = pingcha("draw", "verify", str(record), str(ROSTER), "--lang", "en")
    assert verified.returncode == 0 and b"Match" in verified.stdout
    document = json.loads(record.read_text(encoding="utf-8"))
    assert document["algorithm"] == "sha256-rank-v1" and document["seed"] == SEED
    stratum = next(s for s in document["strata"] if s["stratum"] == "漯河市市场监督管理局")
    stratum["drawn"][1]["cert_no"] = "ZF0009"
    record.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    altered = pingcha("draw", "verify", str(record), str(ROSTER), "--lang", "en", check=False)
    assert altered.returncode == 1
    assert "'漯河市市场监督管理局' drawn 2: the record has ZF0009" in altered.stdout.decode()


def test_competition_draw_by_level(pingcha):
    rows = pingcha.json("draw", str(ROSTER), "--seed", SEED, "--per", "省辖市", "--strata-counts", "市级=2,县级=3,乡镇=1",
                        "--replacements", "0")["rows"]
    strata = {}
    for row in rows:
        strata.setdefault(row["stratum"], []).append(row["cert_no"])
    # Code-point order: 平 U+5E73 < 济 U+6D4E < 漯 U+6F2F < 许 U+8BB8; 乡 < 县 < 市. 省直 has no level count.
    assert list(strata) == ["平顶山市 / 市级", "济源示范区 / 市级", "漯河市 / 乡镇", "漯河市 / 县级", "漯河市 / 市级", "许昌市 / 市级"]
    assert len(strata["漯河市 / 县级"]) == 3 and len(strata["漯河市 / 乡镇"]) == 1 and len(strata["漯河市 / 市级"]) == 2


def test_roster_without_status_column_is_a_clear_error(pingcha, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("证件号,姓名,执法单位\nZF1,甲,某局\n", encoding="utf-8")
    result = pingcha("draw", str(path), "--seed", "x", "--lang", "en", check=False)
    assert result.returncode == 65
    assert "证件状态 (cert_status)" in result.stderr.decode()


def test_generated_seed_is_printed(pingcha):
    result = pingcha.json("draw", str(ROSTER))
    seed = result["provenance"]["rules"]["seed"]
    assert "|auto|" in seed
    assert any(seed in note for note in result["notes"])


CASES = ROOT / "Datasets" / "sample" / "cases.csv"


def reperform_from_record(record, members, id_column):
    """The draw re-performed from its record alone: seed, per, count or fraction, replacements."""
    ids = sorted(m[id_column] for m in members)
    population_hash = hashlib.sha256("\n".join(ids).encode()).hexdigest()
    ticket = {m[id_column]: hashlib.sha256(f"{record['seed']}|{m[id_column]}".encode()).hexdigest() for m in members}
    ordered = sorted(members, key=lambda m: (int(ticket[m[id_column]], 16), m[id_column]))
    strata = []
    for name in sorted({m[record["per"]] for m in members}, key=lambda u: u.encode()):
        inside = [m[id_column] for m in ordered if m[record["per"]] == name]
        if record["fraction"] is not None:
            share = Fraction(record["fraction"])
            count = max(1, math.ceil(share * len(inside)))
        else:
            count = record["count"]
        chosen = inside[:count + record["replacements"]]
        strata.append((name, chosen[:count], chosen[count:]))
    return population_hash, strata, ticket


def test_case_file_draw_reperformed_with_hashlib_from_the_record(pingcha, tmp_path):
    record_path = tmp_path / "case-draw.json"
    result = pingcha.json("draw", str(CASES), "--count", "2", "--seed", "2025-07-01|cases-01", "--where", "评查年度 = 2023",
                          "--record", str(record_path))
    record = json.loads(record_path.read_text(encoding="utf-8"))
    assert record["drawing"] == "case_files" and record["id_column"] == "案卷编号"
    with open(CASES, encoding="utf-8", newline="") as handle:
        files = [row for row in csv.DictReader(handle) if row["评查年度"] == "2023"]
    assert record["population"] == len(files) == 19
    population_hash, strata, ticket = reperform_from_record(record, files, "案卷编号")
    assert record["roster_hash"] == population_hash
    assert [(s["stratum"], [m["case_id"] for m in s["drawn"]], [m["case_id"] for m in s["replacements"]])
            for s in record["strata"]] == strata
    for stratum in record["strata"]:
        for member in stratum["drawn"] + stratum["replacements"]:
            assert member["ticket"] == ticket[member["case_id"]]
    # The JSON rows: stratum, order, case_id, ticket, role.
    rows = result["rows"]
    assert set(rows[0]) == {"stratum", "order", "case_id", "ticket", "role"}
    expected_rows = []
    for name, drawn, replacements in strata:
        for index, case_id in enumerate(drawn + replacements):
            expected_rows.append({"stratum": name, "order": index + 1, "case_id": case_id, "ticket": ticket[case_id],
                                  "role": "drawn" if index < len(drawn) else "replacement"})
    assert rows == expected_rows
    # 河南省交通运输厅 reviewed one file in 2023: it is drawn, with no replacement.
    assert ("河南省交通运输厅", ["HNJT-2023-001"], []) in strata
    # printf '%s' '2025-07-01|cases-01|HNJT-2023-001' | sha256sum
    assert ticket["HNJT-2023-001"] == "b88dd1390738f2eed58c66eb65d81277f4619f99b600898af9f87d7be4d14fea"
    verified = pingcha("draw", "verify", str(record_path), str(CASES), "--lang", "en")
    assert verified.returncode == 0 and b"Match" in verified.stdout
    # An altered case file is named.
    record["strata"][0]["drawn"][0]["case_id"] = "HNJT-2022-001"
    record_path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    altered = pingcha("draw", "verify", str(record_path), str(CASES), "--lang", "en", check=False)
    assert altered.returncode == 1 and "the record has HNJT-2022-001" in altered.stdout.decode()


def test_proportional_draw_rounds_up_exactly(pingcha, tmp_path):
    record_path = tmp_path / "fraction.json"
    result = pingcha.json("draw", str(ROSTER), "--fraction", "0.3", "--seed", SEED, "--replacements", "1", "--record", str(record_path))
    record = json.loads(record_path.read_text(encoding="utf-8"))
    assert record["fraction"] == "0.3"
    with open(ROSTER, encoding="utf-8", newline="") as handle:
        valid = [row for row in csv.DictReader(handle) if row["证件状态"] == "有效"]
    population_hash, strata, _ = reperform_from_record(record, valid, "证件号")
    assert record["roster_hash"] == population_hash
    assert [(s["stratum"], [m["cert_no"] for m in s["drawn"]], [m["cert_no"] for m in s["replacements"]])
            for s in record["strata"]] == strata
    drawn = {}
    for row in result["rows"]:
        if row["role"] == "drawn":
            drawn[row["stratum"]] = drawn.get(row["stratum"], 0) + 1
    sizes = {}
    for row in valid:
        sizes[row["执法单位"]] = sizes.get(row["执法单位"], 0) + 1
    # ceil(0.3 × n), at least 1: 10 → 3, 6 → 2, 5 → 2, 2 → 1.
    assert drawn == {unit: max(1, -(-3 * n // 10)) for unit, n in sizes.items()}
    assert 10 in sizes.values() and drawn[next(u for u, n in sizes.items() if n == 10)] == 3
    assert result["provenance"]["rules"]["fraction"].startswith("0.3")
