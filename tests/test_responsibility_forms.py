"""The forms in which real documents name who is responsible for a measure, beyond the
labelled bracket closing it: a bracketed 责任单位 line of its own, a sentence of duty in the
bracket (X、Y会同Z按职责分工负责), and a notice's item whose text opens with the unit it charges."""
from __future__ import annotations

import pytest

from policykg.extract.pipeline import extract
from policykg.ingest.normalize import normalize
from policykg.reference.areas import Gazetteer

HEAD = ("某某市人民政府办公室关于印发某某市支持中小企业发展若干措施的通知\n\n"
        "各区人民政府，市各有关部门：\n现印发给你们，请认真贯彻执行。\n\n")


def _units(body: str) -> list[list[tuple[str, str]]]:
    record, _ = extract(normalize("forms.txt", HEAD + body), Gazetteer.load())
    return [[(u.name, u.role) for u in m.responsibility.units] if m.responsibility else [] for m in record.measures]


def test_a_bracketed_units_line_after_the_measure():
    body = ("（一）加大财政资金支持。统筹用好各级专项资金，支持中小企业创新发展，降低融资成本。\n\n"
            "（责任单位：市财政局、市工业和信息化局、各区人民政府）\n\n"
            "（二）落实惠企税收政策。严格执行减免税费政策，确保政策落地落实。\n")
    assert _units(body) == [[("市财政局", "lead"), ("市工业和信息化局", "responsible"), ("各区人民政府", "responsible")], []]


def test_a_sentence_of_duty_in_the_bracket():
    body = ("1.加强入库培育。完善梯度培育库，对入库企业实施动态管理。（省工业和信息化厅、省国资委会同各地方按职责分工负责）\n"
            "2.优化服务供给。组织专家服务团深入企业开展诊断服务。（市中小企业服务中心负责）\n")
    assert _units(body) == [[("省工业和信息化厅", "lead"), ("省国资委", "responsible"), ("各地方", "responsible")],
                            [("市中小企业服务中心", "lead")]]


@pytest.mark.parametrize("bracket", ["（企业按规定负责）", "（由申报主体自行负责）"])
def test_a_bracket_of_duty_without_an_organ_names_no_unit(bracket):
    body = f"1.规范申报管理。企业对申报材料的真实性负责，弄虚作假的取消资格。{bracket}\n"
    assert _units(body) == [[]]


def test_a_notice_item_opening_with_the_unit_it_charges():
    body = ("一、各市（州）经济和信息化局要高度重视，切实加强对优质中小企业梯度培育工作的组织领导。\n"
            "二、中小企业按照属地化管理原则自愿登录培育平台进行申报。\n"
            "三、加大服务与培育力度。各地经信部门要高度重视专精特新企业的培育工作。\n"
            "四、市经信局负责做好认定企业的动态管理。\n"
            "五、有效期限。认定企业有效期3年，期满可再次申报。各地经信部门要做好跟踪服务和监督检查。\n"
            "六、资金拨付。市财政局对认定企业给予一次性奖励，企业要按规定使用资金。\n")
    assert _units(body) == [[("各市（州）经济和信息化局", "lead")], [], [("各地经信部门", "lead")], [("市经信局", "lead")],
                            [("各地经信部门", "lead")], [("市财政局", "lead")]]


def test_a_paragraph_closing_with_its_units_is_a_measure_without_a_number():
    """A copy that lost its sub-item numbers (or a plan that never had them): under a
    numbered section, a paragraph that closes with its 责任单位 bracket is a measure, with no
    eli:number; the section's other lines are not."""
    body = ("三、主要任务\n推动创业创新\n"
            "支持企业加大研发投入。对省级以上专精特新中小企业购置设备、软件的，按实际投资的10%给予补助，"
            "最高不超过200万元。(责任单位:市工信局、市财政局,各开发区管委会,各区县〔市〕政府)\n"
            "高标准举办创客中国大赛。鼓励企业积极参加中小企业创新创业大赛。\n")
    record, _ = extract(normalize("forms.txt", HEAD + body), Gazetteer.load())
    assert [(m.number, m.section) for m in record.measures] == [("", "三、主要任务")]
    units = [(u.name, u.role) for u in record.measures[0].responsibility.units]
    assert units == [("市工信局", "lead"), ("市财政局", "responsible"), ("各开发区管委会", "responsible"),
                     ("各区县〔市〕政府", "responsible")]


def test_a_preamble_paragraph_with_units_before_any_section_is_no_measure():
    body = "为促进中小企业发展，现提出以下措施，请各单位抓好落实。（责任单位：市工信局）\n一、加大培育力度\n"
    record, _ = extract(normalize("forms.txt", HEAD + body), Gazetteer.load())
    assert record.measures == []


def test_a_measure_without_a_number_validates_and_is_queried(tmp_path):
    from typer.testing import CliRunner

    from policykg.build import build
    from policykg.cli import app
    from policykg.validate.run import validate_paths

    body = ("三、主要任务\n"
            "支持企业加大研发投入。对省级以上专精特新中小企业购置设备的，按实际投资的10%给予补助。"
            "(责任单位:市工信局、市财政局)\n")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "plan.txt").write_text(HEAD + body, "utf-8")
    assert not build(tmp_path / "corpus", tmp_path / "graph", jobs=1).errors
    report = validate_paths([tmp_path / "graph"], backend="rdflib", reasoner=False)
    assert report.count("violation") == 0, [(f.rule, f.message) for f in report.findings]
    r = CliRunner().invoke(app, ["query", "department", "--param", "unit=市工信局", "--graph", str(tmp_path / "graph"),
                                 "-f", "csv"])
    assert r.exit_code == 0, r.output
    rows = r.stdout.splitlines()[1:]
    assert len(rows) == 1 and rows[0].split(",")[2] == "" and rows[0].split(",")[4] == "牵头"  # no measureNumber


@pytest.mark.parametrize("item, units", [
    ("2.兑现资金。市级奖补资金由市财政局负责拨付到位。", [("市财政局", "lead")]),
    ("3.报送材料。各企业要按照有关部门要求及时报送材料。", []),
    ("4.抓好落实。各地要结合实际，认真抓好各项措施落实。", []),
    ("5.兑现政策。对符合条件的企业给予奖励。（政策兑现由区财政局负责）", [("区财政局", "lead")]),
    ("6.落实政策。对符合条件的企业给予奖励。（各项政策按规定落实）", []),
])
def test_phrases_are_no_units(item, units):
    """What reads like a unit but is a phrase (…由…, …要按照…, 各地要…, 各项政策…) names no unit;
    a unit after 由 is the one charged."""
    assert _units("一、政策措施\n" + item + "\n") == [units]


def test_the_measures_end_where_the_attachments_begin():
    body = ("二、保障措施\n1.加强组织领导。建立工作专班，统筹推进各项工作。（责任单位：区经信局）\n"
            "附件：申报材料清单\n请各街道于2024年4月30日前报送申报材料。（责任单位：各街道、区经信局）\n")
    assert len(_units(body)) == 1
