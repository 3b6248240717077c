"""Askers' words for their own enterprise (data, kept apart from the code that reads them).

Colloquial on the left, the official name (as ``corpus/facts.py`` conditions use it) on the
right. Matching form: simplified, NFKC. Longer words are tried first.
"""

from __future__ import annotations

# 资质 an enterprise holds: official name → what askers write.
TITLES: dict[str, tuple[str, ...]] = {
    "高新技术企业": ("国家高新技术企业", "国家级高新技术企业", "高新技术企业", "高新企业", "国高企业",
                  "国高", "高企"),
    "专精特新小巨人企业": ("专精特新小巨人企业", "专精特新小巨人", "专精特新“小巨人”", "小巨人企业",
                    "小巨人"),
    "专精特新中小企业": ("专精特新中小企业", "专精特新企业", "专精特新"),
    "科技型中小企业": ("科技型中小企业", "科技型企业", "科小"),
    "单项冠军企业": ("制造业单项冠军", "单项冠军企业", "单项冠军"),
    "瞪羚企业": ("瞪羚企业", "瞪羚"),
    "独角兽企业": ("独角兽企业", "独角兽"),
    "技术先进型服务企业": ("技术先进型服务企业", "技先企业"),
    "创新型企业": ("创新型中小企业", "创新型企业"),
    "规模以上工业企业": ("规模以上工业企业", "规上工业企业", "规模以上企业", "规上企业", "规上"),
    "小型微利企业": ("小型微利企业",),
    "企业技术中心": ("企业技术中心",),
    "绿色工厂": ("绿色工厂",),
    "上市公司": ("上市公司", "上市企业"),
    "新三板挂牌企业": ("新三板挂牌企业", "新三板公司", "新三板企业", "新三板"),
}
TITLE_LEVELS = ("国家级", "国家", "省级", "市级", "区级", "县级")
# Degrees, highest first: talent measures set a different bound (age, allowance) per degree, and
# a clause naming one degree alone is not about a person of another. 研究生 alone is a master's.
EDUCATION: tuple[tuple[str, str], ...] = (
    ("博士", r"博士(?!后)"), ("硕士", r"硕士|(?<!博士)研究生"), ("本科", r"本科|学士"),
    ("大专", r"大专|专科|高职"), ("中专", r"中专|中职|技工院校|技校|高中"))
# 本科及以上: a floor, which a higher degree meets too.
EDUCATION_FLOOR = r"^(?:学历|学位)?(?:及|或|和)?以上"

# Words that deny the title right before it (不是高企, 还没认定专精特新).
TITLE_DENIAL = r"(?:不是|不算|没有|没|未|还没|尚未|并非|非)[^,;。]{0,4}$"

# Words that make the title a target rather than held (申报专精特新, 想评高企) …
TITLE_TARGET = r"(?:申报|申请|报|评|争取|想|打算|准备|够|认定为|成为)[^,;。]{0,4}$"
# … and those that say it is held (我们是高企, 新认定的小巨人, 已获评).
TITLE_HELD = r"(?:是|已|刚|新认定|认定了|获评|评为|评上|拿到|取得|作为|属于|身为)[^,;。]{0,4}$"

# What a sum of money (or a share) is: the asker's word → the Circumstances field.
MONEY_SUBJECTS: dict[str, tuple[str, ...]] = {
    "interest_paid": ("贷款利息", "利息支出", "利息"),
    "rd_expense": ("研究开发费用", "研发费用", "研发投入", "研发经费", "研发支出", "科研投入", "研发"),
    "investment": ("固定资产投资", "设备投资", "技改投资", "技术改造投资", "项目总投资", "总投资",
                   "设备投入", "技改投入", "投资额", "投资", "投入", "购置设备", "买设备",
                   "采购设备", "购置", "投进去", "投进", "砸进去", "砸了"),
    "revenue": ("主营业务收入", "主营收入", "营业收入", "营业额", "销售收入", "销售额", "营收",
                "年收入", "收入", "卖了"),
}
# A percent is the R&D share when the phrase names R&D and a proportion (研发费用占营收5%).
SHARE_WORDS = r"占|比例|比重|占比|强度"

STAFF_WORDS = r"员工|职工|从业人员|在职人员|雇员|工人|人数|一共|总共|共有|团队|规模|公司|企业|厂里|我们"
# A count of people that is not the headcount (新招6人, 吸纳8个人就业, 送25个人去培训).
NOT_STAFF = r"招|吸纳|培训|送|引进|走了|裁|离职|辞|带动|见习|岗位|股东|合伙"
# A company sized by its people (一家25人的小公司, 30人的厂).
STAFF_SIZED = r"(?:左右)?的(?:小|小型|微型|小微|中小)?(?:公司|企业|工厂|厂|团队|门店|店)"

FOUNDED = r"成立|注册|设立|创办|创立|开业|办厂|开办|登记|开了|办了"
FUTURE = r"^(?:以?后|之后|内|时|左右以后)"

# Place: where the enterprise is registered (注册在龙岩新罗区, 在天河注册, 我们在福州).
PLACE_SUFFIX = r"(?:省|市|区|县|镇|乡|街道|新区|高新区|开发区|园区|自治州|州|盟|旗)"
NOT_PLACE = ("这边", "那边", "本地", "当地", "外地", "外省", "国内", "内地", "大陆", "境内", "境外",
             "网上", "线上", "期间", "之前", "之后", "以前", "以后", "同时", "今年", "去年", "前年",
             "申请", "申报", "公司", "企业", "单位", "上班", "工作", "里面", "这里", "那里",
             "职", "市里", "区里", "省里", "县里", "园区里")

# Industry as stated: 做批发生意, 从事跨境电商, 开了家奶茶店.
INDUSTRY_HEAD = r"(?:做|从事|搞|经营)"
INDUSTRY_TAIL = r"(?:生意|行业|产业|业务|领域|方面)"

# What askers say for the words clauses use (拿过 → 获得, 市里 → 市级, 个体户 → 个体工商户):
# the asker's words are read this way before they are compared with a clause's sentence (the
# clause's own words are left as written).
OFFICIAL: dict[str, tuple[str, ...]] = {
    "获得": ("拿过", "拿了", "拿到", "领过", "领了", "领到", "得到", "享受过", "享受了", "申请到", "批了"),
    "市级": ("市里", "市一级"),
    "省级": ("省里", "省一级"),
    "区级": ("区里",),
    "县级": ("县里",),
    "国家级": ("国家的",),
    "再次": ("重新", "又一次", "第二次"),
    "迁离": ("迁到", "迁走", "迁去", "迁往", "搬到", "搬走", "搬去", "搬离", "搬出", "迁出", "迁移", "挪到"),
    "个体工商户": ("个体户", "个体经营户"),
    "退役军人": ("退伍军人", "退伍", "转业军人", "复员军人"),
    "外商投资": ("外资", "外企", "外方", "外商独资", "中外合资"),
    "营业收入": ("营收",),
    "销售": ("卖出", "卖了", "售出", "卖的", "卖掉"),
    "签订": ("签的", "签了", "签署"),
    "开具": ("开的", "开了"),
    "购置": ("买的", "买了", "购买", "采购"),
    "男性": ("男的", "男士", "男人"),
    "女性": ("女的", "女士", "女人"),
    "高校毕业生": ("大学毕业生", "应届生", "毕业生"),
    "社会保险": ("社保",),
    "从业人员": ("员工", "职工", "工人", "雇员"),
    "失业保险费": ("失业保险",),
    "法定代表人": ("法人代表", "法人"),
    "纳入": ("进入", "进了", "入了", "列入", "入选"),
    "注册地": ("注册地址",),
}
