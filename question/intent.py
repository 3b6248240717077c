"""What a question asks, by rules kept in one place: the intent, and the specific detail
(amount, rate, date, materials, office, number) that an answer must contain to count as one.

Works on the matching form (simplified), so traditional questions follow the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INTENTS = ("responsible_office", "eligibility", "support_measure", "target_number",
           "document_lookup", "process", "general")

_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("document_lookup", re.compile(r"文号|哪个文件|什么文件|哪份文件|原文|发文|全文|文件名")),
    ("responsible_office", re.compile(
        r"谁负责|哪[个些几两三]?个?(?:省级|市级|区级|县级)?(?:部门|单位)|责任单位|责任部门|牵头|负责部门|谁来管|谁在管|谁管|哪家单位|归哪|归谁|由谁|找谁|"
        # the ask names a role's doer: 交给谁审核, 是谁发的, 谁来初核, 什么部门受理
        r"(?:交给|交到|报给|送给|提交给|递交给|向|是)谁|谁(?:来|在|审|批|发|拨|受理|认定|初|复|核|出钱|兑现|办理)|"
        r"什么部门|什么单位|哪一?级的?(?:什么)?部门|哪个机构|什么机构|哪个机关")),
    ("eligibility", re.compile(r"条件|资格|能否|能不能|可以申请|可不可以|符合|门槛|要求.*申报|申报.*要求|哪些材料|什么材料")),
    ("process", re.compile(r"流程|程序|怎么申请|如何申请|怎么办理|步骤|怎么兑现|分阶段|几个阶段|怎么报")),
    ("target_number", re.compile(r"目标|到20\d\d年|多少|几个|几家|数量|规模|比例|多大")),
    ("support_measure", re.compile(r"支持|补贴|奖励|扶持|政策|优惠|资助|补助|奖补|能拿|享受")),
]

# (The patterns below read a clause's sentence; the facts of a clause are read too, see
# service.answer.)
# 元 in any currency a document quotes (3,333万澳门元, 300万美元, 50万港元, 两千万元).
MONEY = re.compile(r"\d[\d,.]*\s*[万亿千]?(?:澳门|澳|港|美|欧|日|新台|人民币)?元|"
                   r"[一二三四五六七八九十百千]+[万亿](?:澳门|澳|港|美|欧|日|新台)?元")
PERCENT = re.compile(r"\d[\d.]*\s*%|百分之|[一二三四五六七八九十]成")
_MONTH = r"(?:\d{1,2}|[一二三四五六七八九十]|十[一二])月"
DATE = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|截止|截至|"
                  rf"{_MONTH}(?:底|末|初|上旬|中旬|下旬|[\d一二三四五六七八九十]{{1,3}}日)|"
                  rf"每年{_MONTH}")
# How long a policy runs: "2016年至2018年", "有效期三年", "暂定三年有效期", "有效期至2025年底", "施行…期限5年".
PERIOD = re.compile(r"\d{4}年?\s*[至到—–\-~－]\s*\d{4}年|有效期|期限为|期限\d|[至到]\d{4}年|"
                    r"[\d一二三四五六七八九十两]+年(?:内|期|有效)|[\d一二三四五六七八九十两]+(?:个月|天|个?工作日)|"
                    r"(?:不少于|不超过|不得超过|最长|最多|累计|满)[\d一二三四五六七八九十两]+(?:年|个月|日|天)|"
                    r"(?<!\d)[\d一二三四五六七八九十两]{1,2}个?(?:年|月)(?:左右|时间|以上)|"
                    r"(?<!\d)\d{1,2}\s*[—–\-~－至到]\s*\d{1,2}个?(?:年|月)|经过[\d一二三四五六七八九十两]{1,2}个?(?:年|月)|"
                    # 十五日内 (not 6月30日), 连续补贴3年, 享受补贴不超过2年, 第2年
                    r"(?<![月\d])[\d一二三四五六七八九十百两]+日(?:内|以内|之内)|"
                    r"(?:补贴|贴息|补助|资助|奖励|享受|支持)[\d一二三四五六七八九十两]{1,2}个?(?:年|月)|"
                    r"连续[\u4e00-\u9fff]{0,4}?[\d一二三四五六七八九十两]+个?(?:年|月)|第[\d一二三四五六七八九十两]+年")
NUMBER = re.compile(r"\d")
# (An eight-digit number written in fours, 2888-2088, is how Macao and Hong Kong write phones.)
CONTACT = re.compile(r"\d{3,4}[-—－ ]?\d{7,8}|1[3-9]\d{9}|联系人|[\w.]+@[\w.]+|(?:邮寄|通讯|联系|办公|受理)?地址[:：]|"
                     r"(?:电话|热线|咨询|传真|致电)[^。]{0,8}?(?:\d{5,8}|\d{4}[-—－ ]\d{4}(?!\d))")
_MATERIALS = re.compile(r"材料|申报文件|批复件|申请表|复印件|资料|身份证|身份证明|资格文件|(?:提供|提交|携带|出具|附|持|凭|上传|"
                        r"报送|递交|交验|出示)[^,;。]{0,12}(?:证明|证件|身份证|凭证|证书|执照|合同|发票)|"
                        r"(?:证明|证件|身份证|凭证|证书|执照|合同|发票)[^,;。]{0,4}(?:原件|复印件|扫描件)")
# (A document named as a condition, 领取营业执照, 取得证书, lists no material.)
# A sum said as what a measure gives at most (其他地区每年最高4000元, 标准为2000元).
_GIVEN_BEFORE = re.compile(r"最高|最多|上限|封顶|标准为?[:：]?[^,;。]{0,2}$")
SUPPORT_WORDS = re.compile(r"补贴|奖励|补助|资助|扶持|给予|发放|津贴|奖补|支持|加分|减免|返还|贴息")


@dataclass(frozen=True)
class Detail:
    """A specific detail the question asks for; ``label`` completes 「未规定具体…」."""

    name: str
    label: str


_DETAILS: list[tuple[re.Pattern[str], Detail]] = [
    (re.compile(r"多少钱|金额|几万|多少万|补贴标准|奖励标准|补贴多少|奖励多少|奖多少|补多少|给多少|发多少|资助多少|"
                r"多少(?:资金|资助|补贴|奖励|奖金|补助|费用)|(?:拿|领|得|返)到?多少(?![人家个位项件次天年月])|减免标准|收费标准|收多少|交多少|"
                r"最高(?:能|可)?(?:补|奖|给|拿|资助|贷|借)|最(?:多|高)多少(?![人家个位项件次天年月])|"
                # a loan or its interest subsidy asked by how much (能贷多少, 贴息多少, 额度多大)
                r"(?:贷|借|贴息|额度|限额|贷款额?)(?:是|有|为)?(?:多少|多大)(?![人家个位项件次天年月])"),
     Detail("amount", "金额")),
    # how a graded support steps (分档): several amounts or shares, each with its threshold
    (re.compile(r"分档|几档|哪几档|档次"), Detail("tiers", "分档标准")),
    (re.compile(r"税率|费率|利率是多少|比例是多少|百分之几|多少比例|按多少比例|多少个点|"
                r"利率[^,，。?？和及与、]{0,6}(?:多少|几)"),
     Detail("rate", "比例或税率")),
    (re.compile(r"有效期|期限|执行期|实施期|施行期|多长时间|多久|期多长|期有多长|哪几年|到哪年|"
                r"(?:多少|几)(?:个(?:工作日|月|年)|工作日|天|日|年)"),
     Detail("period", "期限")),
    (re.compile(r"截止|哪天|什么时候|何时|几月|几号|哪个月|日期|时间节点"), Detail("date", "日期或期限")),
    (re.compile(r"(?:哪些|什么)[\u4e00-\u9fff]{0,4}材料|要交什么|准备什么|提交什么|准备哪些|提交哪些|"
                r"要交哪些|带什么|需要.*材料"), Detail("materials", "材料清单")),
    # where online (在哪个网站发布, 哪个平台申报): a site, named or by its address
    (re.compile(r"网站|网址|官网|(?:哪个|什么|哪一个)(?:网|平台|系统)"), Detail("website", "网站或平台")),
    (re.compile(r"电话|联系方式|联系人|联系谁|找谁咨询|咨询谁|邮箱|电子信箱|地址|寄到|寄往|邮寄"),
     Detail("contact", "联系方式")),
    # a limit on the applicant's age (有没有年龄限制, 多少岁以下才能报)
    (re.compile(r"年龄(?:限制|上限|下限|要求|界限)|多大年龄|年龄多大|(?:多少|几)岁(?:以下|以内|以上|之前)|超龄"),
     Detail("age", "年龄限制")),
]


# Asked details that order what is cited but never refuse an answer: a site is named in too
# many ways (登录…系统, 关注…公众号, a bare address) to conclude that a text names none.
SOFT_DETAILS = frozenset({"website"})


def classify(question_match: str) -> str:
    for intent, pattern in _RULES:
        if pattern.search(question_match):
            return intent
    return "general"


# What makes a phrase a question (多少, 几, 哪, 什么, 吗 …), and where a phrase ends.
# (Shared by the answer layer, which reads the question's phrases and what they ask.)
ASKING_WORDS = r"多少|多久|多长|多大|多高|几|哪|什么|何|怎|如何|吗|呢|是否|有没有|有无"
_INTERROGATIVE = re.compile(rf"{ASKING_WORDS}|[？?]")
PHRASE_END = re.compile(r"[，,。；;！!？?\n]")
PHRASE = re.compile(r"[^，,。；;！!？?\n]+")
_PARTICLES = "的了呢吗呀啊吧是"
ASK_REACH = 5  # characters after a detail word within which the question must ask about it


def _is_asked(question_match: str, found: re.Match[str]) -> bool:
    """Whether the question asks about the detail word it contains ("有效期多长", "联系电话？")
    or the word only names something else ("无固定期限劳动合同需要满足什么条件": the ask is 条件)."""
    if _INTERROGATIVE.search(found.group()):
        return True
    rest = PHRASE_END.split(question_match[found.end():], maxsplit=1)[0]
    if len(rest.strip(_PARTICLES)) <= 2:  # the phrase ends on it: "请提供联系电话"
        return True
    ask = _INTERROGATIVE.search(rest)
    return ask is not None and ask.start() < ASK_REACH


def asked_details(question_match: str) -> tuple[Detail, ...]:
    """Every specific detail the question asks for ("…担保费是谁出？要收多少？", "有没有贴息？
    贴几年？"), in the order of the rules: a detail word the question asks about, not one inside
    the name of something else."""
    return tuple(detail for pattern, detail in _DETAILS
                 if any(_is_asked(question_match, found) and not _of_a_rate(question_match, found, detail)
                        for found in pattern.finditer(question_match)))


_RATE_WORD = re.compile(r"利率|税率|费率|比例")


def _of_a_rate(question_match: str, found: re.Match[str], detail: Detail) -> bool:
    """An amount asked of a rate (利率最高能收多少) is the rate's figure, not a sum; one asked of
    a rate and something else (比例和封顶分别是多少) is both."""
    if detail.name != "amount":
        return False
    phrase = PHRASE_END.split(question_match[:found.start()])[-1]
    rates = list(_RATE_WORD.finditer(phrase))
    return bool(rates) and not re.search(r"和|及|与|、|封顶|上限|额度|金额", phrase[rates[-1].end():])


def asked_detail(question_match: str) -> Detail | None:
    """The first detail the question asks for (see ``asked_details``)."""
    return next(iter(asked_details(question_match)), None)


# When to apply: a date beside an application word, or a time the application is due by (应在
# 确定…前提出申请, 每年3月底前申报).
APPLICATION = re.compile(r"申报|申请|受理|报送|报名|提交|截止|截至")
_APPLIES_BY = re.compile(r"(?:在|于)[^。；;]{1,40}(?:前|之前|以前|后|之后)[^。；;]{0,12}(?:申请|申报|报送|提交|提出)")


def sentence_has_detail(sentence: str, detail: Detail, question_match: str) -> bool:
    """Whether a (matching-form) sentence states the asked detail."""
    if detail.name == "amount":
        amounts = list(MONEY.finditer(sentence))
        if not SUPPORT_WORDS.search(question_match):
            # a benefit asked without a support word (失业保险金每月能领多少) is answered by its
            # rate of a base as well (按最低工资标准的百分之九十按月计发)
            return bool(amounts) or bool(PERCENT.search(sentence))
        amounts += PERCENT.finditer(sentence)  # "按应奖励额的30%…奖励" answers "给多少" too
        # "投资500万元以上的项目" and "年产值不少于50亿元的企业" state amounts, but conditions, not
        # support: when the question asks how much support is given, the amount must stand
        # next to a support word (给予…奖励50万元, 最高补贴200万元, 50万元奖励) or be a share of it.
        return any(SUPPORT_WORDS.search(sentence[max(0, m.start() - 12):m.start()])
                   or _GIVEN_BEFORE.search(sentence[max(0, m.start() - 6):m.start()])
                   or SUPPORT_WORDS.search(sentence[m.end():m.end() + 4]) for m in amounts)
    if detail.name == "rate":
        return bool(PERCENT.search(sentence))
    if detail.name == "date":
        if APPLICATION.search(question_match):
            # a date the text was issued or repealed is not when to apply
            return bool(DATE.search(sentence) and APPLICATION.search(sentence)
                        or _APPLIES_BY.search(sentence))
        return bool(DATE.search(sentence) or _APPLIES_BY.search(sentence))
    if detail.name == "tiers":
        steps = len(MONEY.findall(sentence)) + len(PERCENT.findall(sentence))
        return steps >= 2 and bool(re.search(r"分别|档|以上|以下|不足|超过|以内", sentence))
    if detail.name == "period":
        return bool(PERIOD.search(sentence) or DATE.search(sentence))
    if detail.name == "contact":
        return bool(CONTACT.search(sentence))
    if detail.name == "website":
        return bool(_SITE.search(sentence))
    if detail.name == "materials":
        return bool(_MATERIALS.search(sentence))
    if detail.name == "age":
        return bool(_AGE.search(sentence))
    return bool(NUMBER.search(sentence))


_SITE_NAME = r"(?:网站|网|平台|门户|系统|公众号|小程序|APP|App|app)"
_SITE = re.compile(rf"https?://|www\.|(?:登录|登陆|访问|通过|关注|进入|搜索)[^，,。；;]{{0,16}}{_SITE_NAME}|"
                   rf"[\u4e00-\u9fffA-Za-z0-9]{{2,16}}{_SITE_NAME}[”\"」』]?(?:上|中|进行)?"
                   r"(?:发布|公布|公开|公示|申报|填报|查询|下载|提交|办理|注册|申请|报名|填写|上传|录入)")
_AGE = re.compile(r"周岁|年龄|[\d一二三四五六七八九十]岁")
