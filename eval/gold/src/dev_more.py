"""Source of the questions added to dev.jsonl in session 2 (d054 onward, u06 onward).

Written by hand from reading the seed documents; quotes are given as plain phrases and normalised
with the same to_key as the hit rule, then checked against the documents by ``load_gold``.
Run: python eval/gold/src/dev_more.py >> eval/gold/dev.jsonl (once; ids are fixed; d103, d104
and u17 were appended in session 3 by printing only those rows).
"""

from __future__ import annotations

import json

from corpus.clean import to_key

D0, D1, D2, D3 = ("000_02d0f658efa8fe2c.txt", "001_455fd9747a781612.txt",
                  "002_d9f1236460861f5a.txt", "003_3836013103f3f9d1.txt")

# (id, type, question, [(doc, phrase)], extra fields)
QUESTIONS = [
    ("d054", "responsible_office", "滨州推动大中小企业融通发展、搞质量强链，由哪些部门负责？",
     [(D0, "促进集群企业融通发展")], {"offices": ["市工业和信息化局", "市科技局", "市市场监管局"]}),
    ("d055", "responsible_office", "滨州发展服务型制造、建工业设计中心，是哪些部门牵头？",
     [(D0, "大力发展服务型制造")], {"offices": ["市工业和信息化局", "市发展改革委"]}),
    ("d056", "responsible_office", "集群企业梯度培育、争创单项冠军这块在滨州归谁管？",
     [(D0, "完善企业梯度培育机制")],
     {"offices": ["市工业和信息化局", "市发展改革委", "市国资委", "市市场监管局"]}),
    ("d057", "responsible_office", "開發區「一園一主業」發展領導小組的辦公室設在哪個部門？",
     [(D3, "领导小组办公室设在市发改委")], {"offices": ["市发改委"]}),
    ("d058", "responsible_office", "省级科技行政管理部门在创新型产业集群建设里要负责什么？",
     [(D1, "省级科技行政管理部门负责组织指导本地区")], {}),
    ("d059", "responsible_office", "所在城市人民政府在创新型产业集群建设中承担什么角色？",
     [(D1, "新型产业集群的建设主体提出集群建设总体方案")], {}),
    ("d060", "process", "滨州各县市区在集群培育里要做什么？",
     [(D0, "各县(市、区)是集群培育的主体")], {}),
    ("d061", "target_number", "到2027年滨州集群内省级以上科技创新载体要达到多少家？",
     [(D0, "集群内省级以上科技创新载体数量达到37家")], {"facts": ["37家"]}),
    ("d062", "target_number", "滨州省级以上工程研究中心和企业技术中心的数量目标是多少？",
     [(D0, "省级以上工程研究中心、企业技术中心达到50家")], {"facts": ["50家"]}),
    ("d063", "target_number", "滨州要培育多少个省市级工业互联网平台？",
     [(D0, "培育省、市级工业互联网平台60家以上")], {"facts": ["60家"]}),
    ("d064", "target_number", "滨州泰山产业领军人才的培育目标是多少名？",
     [(D0, "累计培育申报泰山产业领军人才40名以上")], {"facts": ["40名"]}),
    ("d065", "target_number", "濱州要培育多少家人才引領型企業？",
     [(D0, "人才引领型企业建设")], {"facts": ["30家"]}),
    ("d066", "target_number", "滨州工业设计中心、一企一技术研发中心这些平台要培育多少家？",
     [(D0, "科技创新平台600家以上")], {"facts": ["600家"]}),
    ("d067", "target_number", "滨州要推动多少家制造业企业做智能化改造和数字化转型？",
     [(D0, "推动1000家以上制造业企业进行智能化改造")], {"facts": ["1000家"]}),
    ("d068", "target_number", "滨州精细化工产业集群的目标规模是多大？",
     [(D0, "3000亿级精细化工产业集群1个")], {"facts": ["3000亿"]}),
    ("d069", "target_number", "山东今年要组织多少项前沿技术攻关？",
     [(D2, "组织20项左右前沿技术攻关")], {"facts": ["20项"]}),
    ("d070", "target_number", "山东今年要培训多少家次企业搞数字化转型？",
     [(D2, "年内培训企业50万家次")], {"facts": ["50万家次"]}),
    ("d071", "target_number", "山东规上工业企业数字化转型覆盖率今年要达到多少？",
     [(D2, "数字化转型覆盖率达到90%左右")], {"facts": ["90%"]}),
    ("d072", "target_number", "山东今年新培育专精特新“小巨人”企业多少家？",
     [(D2, "专精特新“小巨人”企业150家")], {"facts": ["150家"]}),
    ("d073", "target_number", "济南今年要新增多少家规模以上工业企业？",
     [(D2, "新增规模以上工业企业300家以上")], {"facts": ["300家"]}),
    ("d074", "target_number", "济南盯住了几个未来产业新赛道，分别是什么？",
     [(D2, "未来制造、未来信息、未来材料、未来能源、未来空间、未来健康6个新赛道")], {"facts": ["6个"]}),
    ("d075", "target_number", "山东今年要重组多少家省重点实验室？",
     [(D2, "重组省重点实验室200家左右")], {"facts": ["200家"]}),
    ("d076", "target_number", "山东今年实施多少项重大科技创新项目？",
     [(D2, "实施100项重大科技创新项目")], {"facts": ["100项"]}),
    ("d077", "target_number", "国家中小企业数字化转型促进中心要汇聚多少服务商、服务多少中小企业？",
     [(D2, "汇聚500家左右优质服务商,全年服务中小企业1万家")], {"facts": ["500家", "1万家"]}),
    ("d081", "eligibility", "申报集群试点的地方在产业规模和集聚上要满足什么条件？",
     [(D1, "产业区位相对集中,产业聚集初具形态")], {}),
    ("d082", "eligibility", "集群试点申报对技术水平和知识产权有什么要求？",
     [(D1, "技术先进成熟且在国内同行业处于领先水平")], {}),
    ("d083", "eligibility", "計劃單列市可以推薦幾家集群試點？",
     [(D1, "计划单列市可推荐申报1家")], {"facts": ["1家"]}),
    ("d084", "support_measure", "我们是专精特新企业，在滨州能拿到什么支持？",
     [(D0, "对集群内单项冠军、专精特新等高成长企业,组织开展上市培育专项活动")], {}),
    ("d085", "support_measure", "园区平台招商可以用哪些模式，政府支持什么？",
     [(D3, "大力支持“以企招企”“产业链招商”等产业招商模式")], {}),
    ("d086", "support_measure", "项目符合一园一主业方向的话，有什么额外政策？",
     [(D3, "对符合全市“一园一主业”的重点项目予以叠加支持政策")], {}),
    ("d087", "support_measure", "滨州怎么用政府投资基金支持制造业集群？",
     [(D0, "提升政府投资基金运营效率")], {}),
    ("d088", "support_measure", "创新型产业集群所在城市的政府要拿出什么扶持？",
     [(D1, "所在城市人民政府研究制定相关扶持政策和措施")], {}),
    ("d090", "support_measure", "滨州对首台套装备、首批次材料有没有支持政策？",
     [(D0, "完善支持首台(套)装备、首批次材料、首版次软件发展的若干政策")], {}),
    ("d091", "support_measure", "集群里的企业做节能改造，滨州有什么安排？",
     [(D0, "实施集群能效提升计划")], {}),
    ("d093", "process", "滨州怎么推荐集群去争创省级、国家级先进制造业集群？",
     [(D0, "积极组织集群参加省级、国家级先进制造业集群竞赛")], {}),
    ("d094", "process", "滨州的集群梯度培育体系是怎么分层的？",
     [(D0, "加快构建市级-省级-国家级先进制造业集群梯度培育体系")], {}),
    ("d095", "process", "写集群发展规划，产业链和技术路线分析那部分要写什么？",
     [(D1, "集群主导产业在国内外的发展现状和趋势")], {}),
    ("d096", "process", "集群发展规划里的工作计划和任务分解怎么写？",
     [(D1, "按年度制定工作计划")], {}),
    ("d097", "cross_doc", "滨州和济南对未来产业分别是怎么布局的？",
     [(D0, "聚焦未来制造、未来信息、未来健康等方向,推动未来产业前瞻布局"),
      (D2, "济南正聚焦未来制造、未来信息、未来材料")], {}),
    ("d098", "cross_doc", "国家集群建设工程和开发区一园一主业方案，在组织领导上各怎么安排？",
     [(D1, "应成立省级领导小组"), (D3, "成立市政府领导挂帅的“一园一主业”发展领导小组")], {}),
    ("d099", "responsible_office", "那这项工作由哪些部门负责？",
     [(D0, "推动集群绿色化转型")],
     {"offices": ["市工业和信息化局", "市发展改革委", "市生态环境局"],
      "history": ["滨州推动集群绿色化转型有什么目标？"]}),
    ("d100", "target_number", "重点是哪些产业？",
     [(D2, "以新一代信息技术、高端装备、新能源新材料")],
     {"history": ["山东今年要新培育多少个省级战略性新兴产业集群？"]}),
    ("d101", "eligibility", "那需要交哪些材料？",
     [(D1, "省级科技行政管理部门申报文件")],
     {"history": ["创新型产业集群建设试点怎么申报？"]}),
    # Session 3: officials name a document by 文号 or title (added with that feature; "who issued
    # 滨政办字〔2024〕18号" has no clause as evidence, so it is an API test instead).
    ("d103", "support_measure", "滨政办字〔2024〕18号对集群的土地、金融、人才要素保障是怎么规定的？",
     [(D0, "强化土地、金融、人才等要素保障")], {}),
    ("d104", "target_number", "《关于加快发展先进制造业集群的实施意见》提出到2027年要培育多少家市级以上工业设计中心和研发中心等平台？",
     [(D0, "科技创新平台600家以上")], {"facts": ["600家"]}),
]

UNANSWERABLE = [
    ("u06", "滨州对新认定的专精特新“小巨人”企业一次性奖励多少钱？", "near miss: 专精特新 is mentioned, no award amount"),
    ("u07", "被认定为链主企业的，能拿到多少资金奖励？", "near miss: 链主企业 support, no amount"),
    ("u08", "集群试点申报的评审专家都有谁，怎么打分？", "not in the documents"),
    ("u09", "济南对未来产业先导区给多少补贴？", "near miss: 先导区 mentioned, no subsidy"),
    ("u10", "滨州集群企业贷款贴息的比例是多少？", "near miss: 信贷支持 mentioned, no interest subsidy rate"),
    ("u11", "成都对集成电路企业有什么扶持政策？", "another city"),
    ("u12", "博士后科研工作站建站能拿多少资助？", "not in the documents"),
    ("u13", "个人买新能源汽车有购置补贴吗？", "not in the documents"),
    ("u14", "企业申报高新技术企业认定需要满足哪些条件？", "near miss: 高新技术企业 targets, no criteria"),
    ("u15", "集群试点批准后考核不合格会被摘牌吗，整改期多长？", "near miss: 评价与考核 mentioned, no sanction"),
    ("u16", "园区标准厂房的租金减免标准是多少？", "near miss: 标准厂房/空间 mentioned, no rent rule"),
    ("u17", "鲁工信发〔2024〕3号文件对专精特新企业有什么支持？", "a 文号 no indexed document has"),
]


def rows(questions: list = QUESTIONS, unanswerable: list = UNANSWERABLE) -> list[dict[str, object]]:  # type: ignore[type-arg]
    """Gold rows: quotes normalised with the hit rule's to_key (extra_more.py reuses this)."""
    out: list[dict[str, object]] = []
    for qid, kind, question, evidence, extra in questions:
        out.append({"id": qid, "question": question, "type": kind, "answerable": True,
                    "evidence": [{"doc": doc, "quote": to_key(phrase)} for doc, phrase in evidence],
                    **extra})
    for qid, question, note in unanswerable:
        out.append({"id": qid, "question": question, "type": "unanswerable", "answerable": False,
                    "evidence": [], "note": note})
    return out


if __name__ == "__main__":
    for row in rows():
        print(json.dumps(row, ensure_ascii=False))
