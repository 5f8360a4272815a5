"""A synthetic corpus of 专精特新 policy documents, seeded, for scale tests and benchmarks.

    python scripts/generate_corpus.py OUT_DIR --n 1000 [--seed 1]

The documents are text in the styles of the real ones, so the extractor meets realistic
text, not ready-made triples: province, city and district issuers; the numbering schemes
(``1.`` inside ``一、``, ``（一）`` restarting in each section, ``第X条`` in chapters);
责任单位 brackets with a lead note, 牵头/配合 labels, a ``，`` before other units; rewards
distributed over tiers (分别给予…), interest subsidies with per-year caps, rates, thresholds
(由…调整为…), amounts in 万元/亿元; cultivation targets; repeals of the earlier version in the
same policy line (an issuer keeps several lines of at most MAX_VERSIONS versions each) and
citations across levels; drafts (征求意见稿). Beside the texts,
``expected.json`` records what each document says, for tests to check extraction against.
"""
from __future__ import annotations

import argparse
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

CN = "一二三四五六七八九十"
PROVINCES = [("江苏省", "苏"), ("浙江省", "浙"), ("广东省", "粤"), ("山东省", "鲁"), ("福建省", "闽"), ("安徽省", "皖"),
             ("湖北省", "鄂"), ("四川省", "川"), ("河南省", "豫"), ("湖南省", "湘")]
CITIES = [("杭州市", "杭"), ("宁波市", "甬"), ("温州市", "温"), ("嘉兴市", "嘉"), ("湖州市", "湖"), ("绍兴市", "绍"),
          ("金华市", "金"), ("台州市", "台")]
DISTRICTS = [("上城区", "上"), ("拱墅区", "拱"), ("西湖区", "西"), ("滨江区", "滨"), ("萧山区", "萧"), ("余杭区", "余"),
             ("钱塘区", "钱"), ("临平区", "临")]
STEMS = {"province": ["经信厅", "科技厅", "财政厅", "商务厅", "市场监管局", "发展改革委", "人力社保厅", "委金融办"],
         "city": ["经信局", "科技局", "财政局", "商务局", "市场监管局", "发展改革委", "人力社保局", "委金融办"],
         "district": ["经信局", "科技局", "财政局", "商务局", "市场监管局", "发展改革局", "人社局", "委人才办"]}
OTHERS = {"province": ["省担保集团", "省科协"], "city": ["市融资担保集团", "市科协"], "district": ["区产业集团", "区科协"]}
HEADINGS = ["完善梯度培育机制", "强化创新能力建设", "加大金融支持力度", "优化要素保障", "提升服务质效", "推动数字化转型",
            "促进大中小企业融通", "加强人才服务保障", "拓展国内外市场", "加强质量品牌建设"]
ACTIONS = ["支持专精特新企业加大研发投入，建设高水平研发机构", "推动专精特新企业参与产业链协同创新",
           "鼓励金融机构开发专属信贷产品", "引导专精特新企业开展数字化改造", "支持企业引进高层次人才",
           "组织企业参加国内外重要展会", "推进质量标准品牌建设",
           "优化专精特新企业用地保障", "建立专精特新企业服务专员制度", "深化产学研合作和科技成果转化"]


@dataclass
class Expected:
    file: str
    level: str
    number: str | None
    title: str
    measures: int
    numbers: list[str]
    lead_of_first: str
    rewards: dict[str, int] = field(default_factory=dict)  # tier wording → yuan (a cap)
    interest_cap: int | None = None
    repeals: str | None = None
    is_draft: bool = False
    year: int = 0


def _cn(n: int) -> str:
    return CN[n - 1] if n <= 10 else "十" + (CN[n - 11] if n > 10 else "")


def _issuer(level: str, area: str) -> str:
    return f"{area}人民政府办公厅" if level != "district" else f"杭州市{area}人民政府办公室"


def _prefix(level: str, abbr: str) -> str:
    return {"province": f"{abbr}政办发", "city": f"{abbr}政办函", "district": f"{abbr}政办"}[level]


def _units(rng: random.Random, level: str, style: str, first: bool) -> tuple[str, str]:
    char = {"province": "省", "city": "市", "district": "区"}[level]
    stems = rng.sample(STEMS[level], rng.randint(1, 4))
    names = [char + s for s in stems]
    lead = names[0]
    if style == "labels":
        others = rng.sample(STEMS[level], 2)
        return f"（牵头单位：{lead}，配合单位：{'、'.join(char + s for s in others)}）", lead
    tail = f"，{rng.choice(OTHERS[level])}" if rng.random() < 0.3 else ""
    note = "。列第一位的为牵头单位，下同" if first and style == "note" else ""
    return f"（责任单位：{'、'.join(names)}{tail}{note}）", lead


def _body(rng: random.Random, level: str, k: int, exp: Expected) -> str:
    action = rng.choice(ACTIONS)
    if k == 0:
        a, b = rng.choice([100, 150, 200]), rng.choice([20, 30, 50])
        tiers = ("国家级专精特新“小巨人”企业", "省级专精特新中小企业")
        exp.rewards = {tiers[0]: a * 10_000, tiers[1]: b * 10_000}
        year = rng.choice([2026, 2027, 2028])
        return (f"完善梯度培育体系。到{year}年，累计培育专精特新中小企业{rng.randint(100, 5000)}家、"
                f"专精特新“小巨人”企业{rng.randint(10, 500)}家。对首次认定的{tiers[0]}、{tiers[1]}，"
                f"分别给予不超过{a}万元、{b}万元一次性奖励。")
    if k == 1:
        cap = rng.choice([10, 20, 30])
        exp.interest_cap = cap * 10_000
        return (f"加大金融支持力度。{action}，对符合条件的企业按不高于1%的年利率给予贷款贴息，"
                f"单个企业每年最高补贴{cap}万元；政策性融资担保费率不高于千分之五。")
    if k == 2:
        return (f"推动技术改造。专精特新企业申请技改补助的总投资要求由{rng.choice([1000, 2000])}万元调整为500万元，"
                f"按实际投资额的{rng.choice([10, 15, 20])}%给予补助，最高补助{rng.choice([1, 2])}亿元。")
    return f"{rng.choice(HEADINGS)}。{action}，按规定给予支持。"


@dataclass
class Line:
    """A policy line of one issuer: versions on one topic, each repealing the one before."""
    topic: str
    genre: str
    last: Expected | None = None
    versions: int = 0


# A line ends after this many versions and an issuer keeps several lines: the chains of
# repeals and successions stay as long as real ones, whatever the size of the corpus.
MAX_VERSIONS = 6
NEW_LINE = 0.3  # the chance a document starts a new line of its issuer rather than continuing one
TOPICS = [f"{a}{b}{c}" for a in ("进一步促进", "加快培育", "支持", "大力推动", "加大力度扶持")
          for b in ("专精特新中小企业", "专精特新企业", "中小企业走专精特新发展道路", "优质中小企业梯度培育")
          for c in ("高质量发展", "创新发展", "做优做强", "")]


def document(rng: random.Random, i: int, lines: dict[str, list[Line]]) -> tuple[str, Expected]:
    level = rng.choices(["province", "city", "district"], weights=[1, 3, 6])[0]
    area, abbr = rng.choice({"province": PROVINCES, "city": CITIES, "district": DISTRICTS}[level])
    issuer = _issuer(level, area)
    is_draft = False
    open_lines = lines.setdefault(issuer, [])
    if not open_lines or rng.random() < NEW_LINE:
        open_lines.append(Line(rng.choice(TOPICS), rng.choice(["若干措施", "实施意见", "行动方案"])))
        line = open_lines[-1]
    else:
        line = rng.choice(open_lines)
    previous = line.last
    year = previous.year + rng.randint(1, 2) if previous else rng.randint(2008, 2016)
    genre, topic = line.genre, line.topic
    title = f"{issuer}关于{topic}的{genre}" + ("（征求意见稿）" if is_draft else "")
    number = None if is_draft else f"{_prefix(level, abbr)}〔{year}〕{i + 1}号"
    scheme = rng.choice(["arabic", "paren", "article"])
    style = rng.choice(["note", "plain", "labels"])
    sections = rng.randint(2, 4)
    per = [rng.randint(1, 4) for _ in range(sections)]
    if per[0] < 3:
        per[0] = 3  # the first section carries the reward, the interest subsidy and the threshold
    exp = Expected(f"doc-{i:05d}.txt", level, number, title, sum(per), [], "", is_draft=is_draft)
    lines = [title]
    if number:
        lines.append(number)
    lines += ["各有关单位：",
              f"为深入贯彻落实国家和省关于促进专精特新中小企业高质量发展的决策部署，结合{area}实际，制定本{genre[-2:]}。"]
    k = 0
    for s in range(sections):
        lines.append(f"第{_cn(s + 1)}章 {HEADINGS[s]}" if scheme == "article" else f"{_cn(s + 1)}、{HEADINGS[s]}")
        for j in range(per[s]):
            units, lead = _units(rng, level, style, first=k == 0)
            if k == 0:
                exp.lead_of_first = lead
            article = f"第{_cn(k + 1) if k < 10 else k + 1}条"
            token = {"arabic": f"{k + 1}.", "paren": f"（{_cn(j + 1)}）", "article": article}[scheme]
            written = {"arabic": f"{k + 1}", "paren": f"{_cn(s + 1)}（{_cn(j + 1)}）", "article": token}[scheme]
            exp.numbers.append(written)
            lines.append(f"{token}{_body(rng, level, k, exp)}{units}")
            k += 1
    signed_month = rng.randint(1, 10)
    closing = f"本{genre[-2:]}自{year}年{signed_month + rng.randint(1, 2)}月1日起施行，有效期至{year + 3}年12月31日。"
    exp.year = year
    if previous and previous.number and not is_draft:
        closing += f"《{previous.title}》（{previous.number}）同时废止。"
        exp.repeals = previous.number
    lines.append(closing)
    lines += [issuer, f"{year}年{signed_month}月{rng.randint(1, 28)}日"]
    if not is_draft:
        line.last, line.versions = exp, line.versions + 1
        if line.versions >= MAX_VERSIONS:
            open_lines.remove(line)
    return "\n".join(lines) + "\n", exp


def draft_of(text: str, exp: Expected, i: int) -> tuple[str, Expected]:
    """The draft (征求意见稿) a final went through: its title marked, no 文号, no 施行 clause,
    signed a year before the final."""
    lines = text.splitlines()
    title = lines[0] + "（征求意见稿）"
    body = [ln for ln in lines[2:-2] if "起施行" not in ln]
    year = exp.year - 1
    draft = "\n".join([title, *body, f"{year}年6月1日"]) + "\n"
    return draft, Expected(f"doc-{i:05d}-draft.txt", exp.level, None, title, exp.measures, exp.numbers,
                           exp.lead_of_first, dict(exp.rewards), exp.interest_cap, None, True, year)


def generate(n: int, seed: int = 1, drafts: float = 0.05) -> list[tuple[str, str, Expected]]:
    """``n`` documents; about ``drafts`` of them come with the draft they went through."""
    rng = random.Random(seed)
    lines: dict[str, list[Line]] = {}
    out = []
    for i in range(n):
        text, exp = document(rng, i, lines)
        if rng.random() < drafts and exp.number:
            draft, dexp = draft_of(text, exp, i)
            out.append((dexp.file, draft, dexp))
        out.append((exp.file, text, exp))
    return out


def write(out_dir: Path, n: int, seed: int = 1) -> list[Expected]:
    out_dir.mkdir(parents=True, exist_ok=True)
    docs = generate(n, seed)
    for name, text, _ in docs:
        (out_dir / name).write_text(text, "utf-8")
    expected = [exp for *_, exp in docs]
    (out_dir / "expected.json").write_text(json.dumps([asdict(e) for e in expected], ensure_ascii=False, indent=1), "utf-8")
    return expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(args.out, args.n, args.seed)
    print(f"wrote {args.n} documents to {args.out}")


if __name__ == "__main__":
    main()
