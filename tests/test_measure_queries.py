"""The measure-level named queries on the real graph (rewards, incentives, department, …)."""
from __future__ import annotations

import json

import pytest
from test_cli_queries import query

ID = "https://w3id.org/policykg/id/"


def rows(built, name, *params):
    args = [a for p in params for a in ("--param", p)]
    r = query(built[1], name, *args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_rewards_for_little_giant_81_to_65(built):
    # "how did the one-off reward for 小巨人 change from 81号 to 65号": capped at 100万 in both
    found = [(r["number"], r["measureNumber"], r["amount"], r["maxAmount"]) for r in rows(built, "rewards", "tier=小巨人")]
    assert found == [
        (None, "四.2", 1000000, None),  # 钱塘 (start 2024, from its bounds): a fixed sum
        ("杭政办函〔2023〕81号", "3", None, 1000000),
        ("杭政办函〔2025〕65号", "（一）", None, 1000000),
    ]
    assert rows(built, "rewards", "tier=little-giant") == rows(built, "rewards")  # the default


def test_rewards_for_other_tiers(built):
    sme = {(r["number"], r["maxAmount"] or r["amount"]) for r in rows(built, "rewards", "tier=专精特新中小企业")}
    assert {("杭政办函〔2023〕81号", 200000), ("杭政办函〔2025〕65号", 200000), (None, 200000)} <= sme
    innovative = rows(built, "rewards", "tier=创新型中小企业")
    assert [(r["number"], r["maxAmount"]) for r in innovative] == [("杭政办函〔2025〕65号", 500000)]


def test_interest_subsidy_cap_81_to_65(built):
    # "how did the interest-subsidy cap change": 10万 per enterprise → 20万 per enterprise per year
    found = {r["number"]: (r["rate"], r["rateBound"], r["maxAmount"], r["perYear"])
             for r in rows(built, "incentives", "type=贴息")}
    assert found["杭政办函〔2023〕81号"] == (0.01, "max", 100000, False)
    assert found["杭政办函〔2025〕65号"] == (0.01, "max", 200000, True)


def test_thresholds_old_and_new(built):
    found = rows(built, "incentives", "type=investment-threshold")
    assert {(r["minInvestment"], r["previousMinInvestment"]) for r in found} == {(5000000, 10000000)}
    assert len(found) == 2


def test_which_measures_does_market_regulation_lead(built):
    led = [(r["number"], r["measureNumber"]) for r in rows(built, "department", "unit=市市场监管局") if r["role"] == "牵头"]
    assert led == [("杭政办函〔2023〕81号", "8"), ("杭政办函〔2025〕65号", "（九）")]


def test_department_under_any_name_and_reorganization(built):
    by_alias = rows(built, "department", "unit=市发改委")
    assert by_alias == rows(built, "department", "unit=市发展和改革委员会")  # a curated alias the texts do not use
    assert {r["number"] for r in by_alias} == {"杭政办函〔2023〕81号", "杭政办函〔2025〕65号"}
    finance = rows(built, "department", "unit=市委金融办")
    assert {(r["measureNumber"], r["asUnit"], r["role"]) for r in finance} == {
        ("16", "市地方金融监管局", "牵头"), ("17", "市地方金融监管局", "责任"), ("（十一）", "市委金融办", "责任")}


def test_department_errors(built):
    r = query(built[1], "department", "--param", "unit=市不存在局")
    assert r.exit_code != 0 and "unknown organization" in r.output


def test_lead_counts(built):
    counts = {r["label"]: (r["led"], r["responsible"]) for r in rows(built, "lead-counts", "doc=杭政办函〔2025〕65号")}
    assert counts["市经信局"] == (11, 15)
    assert counts["各区、县（市）政府"] == (0, 15)
    assert sum(led for led, _ in counts.values()) == 15
    qt = {r["label"]: (r["led"], r["cooperating"]) for r in rows(built, "lead-counts", "doc=钱塘区")}
    assert qt["区经信科技局"][0] == 19 and qt["各街道"] == (0, 21)


def test_targets_line_up_across_levels(built):
    found = [(r["year"], r["count"], r["level"], r["cumulative"], r["baseline"])
             for r in rows(built, "targets", "tier=小巨人")]
    assert ("2025", 500, "city", True, False) in found
    assert ("2028", 750, "city", True, False) in found
    assert ("2023", 29, "district", True, True) in found
    assert [c for y, c, lvl, _, b in found if lvl == "district" and not b and y != "2026"] == [35, 40]


def test_tier_ladder_query(built):
    found = [(r["position"], r["label"]) for r in rows(built, "tiers", "doc=浙政办发〔2024〕21号")]
    assert found == [(1, "科技型中小企业"), (1, "创新型中小企业"), (2, "专精特新中小企业"), (3, "专精特新“小巨人”企业")]


def test_evidence_query_points_into_the_file(built):
    from conftest import CORPUS
    from policykg.ingest.corpus import read_source
    found = rows(built, "evidence", "node=id:doc/杭政办函-2023-81/measure/3/incentive/1")
    (ev,) = found
    text = read_source(CORPUS / ev["file"]).text
    assert text[ev["start"]:ev["end"]] == ev["exact"]
    assert "分别给予不超过100万元、100万元、20万元一次性奖励" in ev["exact"]


def test_search_query(built):
    found = [(r["number"], r["measureNumber"]) for r in rows(built, "search", "text=贴息")]
    assert ("杭政办函〔2023〕81号", "17") in found and ("杭政办函〔2025〕65号", "（十一）") in found


@pytest.mark.parametrize("name, param", [("rewards", "tier=不存在"), ("incentives", "type=nothing"),
                                         ("evidence", "node=not-an-iri")])
def test_bad_concept_parameters(built, name, param):
    r = query(built[1], name, "--param", param)
    assert r.exit_code != 0 and "Traceback" not in r.output
