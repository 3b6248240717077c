"""Source of the questions added to extra.jsonl in session 3 (xq011 onward, xu03 onward).

Written by hand from reading the two extra documents (a county's support measures and a city's
regional policy: award amounts, conditions, who is responsible, how awards are paid, periods),
phrased the way enterprises and officials ask. Quotes are plain phrases normalised with the hit
rule's own to_key and checked against the documents by ``load_gold``.
Run: python eval/gold/src/extra_more.py >> eval/gold/extra.jsonl (once; ids are fixed).
"""

from __future__ import annotations

import json

from dev_more import rows  # the sibling script (this directory is on sys.path when run)

L, S = "01_liuhe-key-industries-2023.txt", "02_shanghai-lingang-shuangte-2016.txt"

# (id, type, question, [(doc, phrase)], extra fields)
QUESTIONS = [
    ("xq011", "amount", "我们企业刚被认定为国家高新技术企业，柳河县给多少奖励？",
     [(L, "对初次认定为国家高新技术企业的，给予企业20万元奖励")], {"facts": ["20万元"]}),
    ("xq012", "amount", "在柳河，新列入省级专精特新中小企业能拿多少钱？",
     [(L, "新列入国家级和省级“专精特新”中小企业，分别给予企业30万元和10万元奖励")],
     {"facts": ["10万元"]}),
    ("xq013", "amount", "企业在主板上市了，柳河县奖励多少？",
     [(L, "对在主板上市企业，给予企业300万元奖励")], {"facts": ["300万元"]}),
    ("xq014", "amount", "新纳入统计的规上服务业企业在柳河能拿多少奖励，分几年给？",
     [(L, "对新增并纳入统计口径的规模以上服务业企业，给予企业10万元奖励")],
     {"facts": ["10万元"]}),
    ("xq015", "condition", "柳河县什么样的项目算重大产业项目？",
     [(L, "固定资产投资在1亿元及以上且亩均投资强度不低于200万元的工业类、现代服务业类项目为重大产业项目")],
     {"facts": ["1亿元"]}),
    ("xq016", "amount", "新开发的一类新药一年卖了一个多亿，柳河县单品种奖励多少？",
     [(L, "对新开发和引进一类新药，年销售额在1亿元及以上的，单品种奖励企业200万元")],
     {"facts": ["200万元"]}),
    ("xq017", "responsible_office", "柳河县重点产业工作领导小组办公室的主任由谁兼任？",
     [(L, "办公室主任由分管副县长兼任")], {}),
    ("xq018", "process", "柳河县的奖励政策要怎么申请兑现？多久能兑现？",
     [(L, "经领导小组办公室实地踏查，并对投资企业提供项目材料进行综合审核后")],
     {"facts": ["2年"]}),
    ("xq019", "condition", "在柳河拿了地一年多还没动工，会怎么处理？",
     [(L, "新建重点产业项目一年以上未动工建设的，按照法律规定企业应当缴纳土地闲置费")], {}),
    ("xq020", "amount", "医药企业新建了600亩GAP中药材种植基地，柳河县怎么奖励？",
     [(L, "对新建面积在500亩以上的，给予企业200元/亩奖励")], {"facts": ["200元"]}),
    ("xq021", "responsible_office", "临港地区的土地减量化工作由谁统筹？",
     [(S, "临港地区土地减量化工作由临港地区管委会统筹")], {"offices": ["临港地区管委会"]}),
    ("xq022", "responsible_office", "臨港地區PPP項目的財政支付責任由誰承擔？",
     [(S, "PPP项目涉及的财政支付责任，由临港地区管委会承担")], {"offices": ["临港地区管委会"]}),
    ("xq023", "process", "2015年以后临港新增的政府债务算到哪一级？",
     [(S, "对于2015年后临港地区产生的新增政府债务，分别计入浦东新区和奉贤区区级债务")], {}),
    ("xq024", "support_measure", "在临港做基础教育、医疗卫生工作的人有什么补贴？",
     [(S, "对在临港地区从事基础教育、医疗卫生、公共服务等人员，每月给予临港津贴")], {}),
    ("xq025", "process", "临港专项发展资金的钱从哪里来？",
     [(S, "由市、浦东新区和奉贤区财力共同出资")], {}),
]

UNANSWERABLE = [
    ("xu03", "临港地区的交通补贴每月具体多少钱？", "near miss: 交通补贴 is granted, no amount"),
    ("xu04", "柳河县对新建院士工作站给多少经费？", "not in the documents"),
    ("xu05", "柳河县企业贷款贴息的比例是多少？", "near miss: awards and funds, no interest subsidy"),
]


if __name__ == "__main__":
    for row in rows(QUESTIONS, UNANSWERABLE):
        print(json.dumps(row, ensure_ascii=False))
