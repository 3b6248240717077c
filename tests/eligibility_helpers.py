"""Three policy notices written for the eligibility tests (the seed corpus has almost no support
measures), in the genre's style: one in force with a 申报条件 chapter and three measures (a ratio
of R&D spending, interest subsidy with a cap, awards by level), one expired, one draft. Built
into one small index per test session (tests/conftest.py ``eligibility_index``)."""

from __future__ import annotations

from pathlib import Path

LINZHOU = "linzhou-sme-2025"  # in force until 2028-12-31
BINJIANG = "binjiang-industry-2021"  # expired 2023-12-31
QINGYUAN = "qingyuan-startup-draft"  # a draft (征求意见稿)

DOCUMENTS = {
    f"{LINZHOU}.txt": """临州市人民政府办公室关于印发临州市支持中小企业创新发展若干措施的通知
临政办发〔2025〕12号
各区县人民政府，市政府各部门：
现将《临州市支持中小企业创新发展若干措施》印发给你们，请认真贯彻执行。
一、申报条件
申报企业应在临州市注册登记，上年度营业收入不低于2000万元，从业人员不少于20人。
二、支持措施
（一）研发投入奖励。对近两年研发费用占营业收入比例不低于5%的企业，按研发费用的10%给予奖励，单个企业最高100万元。
（二）贷款贴息。对企业用于技术改造的银行贷款，按实际支付利息的50%给予贴息，单个企业每年最高50万元。
（三）专精特新奖励。对新认定的国家级、省级专精特新“小巨人”企业，分别给予100万元、50万元一次性奖励。
三、其他
本措施自2025年1月1日起施行，有效期至2028年12月31日。由市工业和信息化局负责解释。
临州市人民政府办公室
2025年1月1日
""",
    f"{BINJIANG}.txt": """滨江市人民政府关于促进规模以上工业企业发展的若干政策
滨政发〔2021〕3号
各区人民政府，市政府各部门：
一、鼓励企业升规。对首次纳入规模以上工业统计的企业，给予一次性奖励20万元。
二、鼓励企业做大。对上年度营业收入首次超过5亿元的工业企业，给予200万元奖励。
三、本政策自2021年1月1日起施行，有效期至2023年12月31日。
滨江市人民政府
2021年1月1日
""",
    f"{QINGYUAN}.txt": """青原市支持科技型初创企业发展的若干措施（征求意见稿）
一、支持对象
在青原市注册登记、成立不满5年的科技型中小企业。
二、房租补贴。对入驻市级孵化器的初创企业，按实际房租的30%给予补贴，每家企业每年最高10万元。
三、本措施自印发之日起施行。
""",
}


def eligibility_corpus_index(base: Path) -> tuple[Path, Path]:
    """(corpus dir, index dir) of the three notices, built with the default embedder."""
    from index.build import build_index
    from index.embed import load_embedder

    corpus = base / "corpus"
    corpus.mkdir()
    for name, text in DOCUMENTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    index = base / "index"
    build_index([corpus], index, load_embedder("e5-small"), "e5-small")
    return corpus, index
