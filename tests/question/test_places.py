"""The gazetteer below the prefecture level: county-level names from the division codes, their
city and province, and the words that are not places."""

from __future__ import annotations

from question.intent import asked_detail
from question.places import asked_places, covered, gazetteer, short_name


def test_a_division_is_written_without_its_level_or_nationalities() -> None:
    nations = ["藏族", "羌族", "土家族", "苗族", "藏", "羌", "土家", "苗"]
    assert short_name("孝义市") == "孝义"
    assert short_name("浦东新区") == "浦东"
    assert short_name("阿坝藏族羌族自治州", nations) == "阿坝"
    assert short_name("湘西土家族苗族自治州", nations) == "湘西"
    assert short_name("城区") == "城区"  # one character left: the name stays whole


def test_a_county_is_located_in_its_city_and_province() -> None:
    forms = gazetteer().forms("孝义")
    assert {"孝义", "吕梁", "山西"} <= set(forms)
    assert covered("孝义", "山西省人力资源和社会保障厅关于……的通知")
    assert not covered("孝义", "河南省三门峡市人民政府办公室关于……的通知")
    assert "城区" not in gazetteer().counties  # a generic name locates nothing


def test_county_names_jieba_does_not_tag_as_places_are_places_unless_common_words() -> None:
    assert asked_places("孝义的企业申请稳岗返还去哪办") == ("孝义",)
    assert asked_places("义乌的企业能申请吗") == ("义乌",)
    assert "台中" in asked_places("台中青创贷款有没有利息补贴")  # jieba cuts it 台 | 中
    assert asked_places("我们在平台中申报") == ()
    assert asked_places("促进和平发展的政策") == ()  # 和平 is also a district
    assert asked_places("龙岩的中小企业做数字化转型，能申请贴息吗") == ("龙岩",)  # a city jieba tags nr


def test_a_loan_or_its_interest_subsidy_asked_by_how_much_asks_an_amount() -> None:
    for q in ("个人最高能贷多少", "贴息多少", "贷款额度多大"):
        found = asked_detail(q)
        assert found is not None and found.name == "amount", q


def test_a_word_a_title_tags_as_a_place_is_one_only_when_rare() -> None:
    # jieba tags 上市 ns in 上市奖励办法; a question about 成都's 上市 award is about 成都
    assert asked_places("成都上市奖励要什么材料", known=["上市", "成都"]) == ("成都",)
