"""The officer draw re-performed independently with Python's hashlib (DOMAIN.md §2.3)."""
import csv
import hashlib
import json
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
