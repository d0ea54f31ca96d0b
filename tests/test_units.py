"""Unit names: which names mean the same procuratorate (a table of real names)."""

from __future__ import annotations

import pytest

from writer.text.units import belongs_to, closest, find_mentions, name_forms, same_unit, short_name

SAME = [
    ("济南市济阳区人民检察院", "济阳区人民检察院"),
    ("济南市济阳区人民检察院", "济阳区检察院"),
    ("济南市济阳区人民检察院", "山东省济南市济阳区检察院"),
    ("济南市济阳区人民检察院", "济阳区院"),
    ("互助土族自治县人民检察院", "互助县人民检察院"),
    ("互助土族自治县人民检察院", "互助县检察院"),
    ("青海省海东市互助土族自治县人民检察院", "互助县人民检察院"),
    ("广西壮族自治区人民检察院", "广西检察院"),
    ("广西壮族自治区人民检察院", "广西壮族自治区检察院"),
    ("新疆维吾尔自治区人民检察院", "新疆检察院"),
    ("宁夏回族自治区人民检察院", "宁夏回族自治区检察院"),
    ("内蒙古自治区人民检察院", "内蒙古检察院"),
    ("恩施土家族苗族自治州人民检察院", "恩施州人民检察院"),
    ("北京市人民检察院", "北京市检察院"),
    ("北京市人民检察院", "北京检察院"),
    ("上海市人民检察院第三分院", "上海市检察院第三分院"),
    ("山东省菏泽市人民检察院", "菏泽市检察院"),
    ("江苏省昆山市人民检察院", "昆山市检察院"),
    ("云南省昆明市五华区人民检察院", "昆明市五华区检察院"),
    ("云南省昆明市五华区人民检察院", "五华区检察院"),
    ("内蒙古自治区包头市人民检察院", "包头市检察院"),
    ("福建省福州市鼓楼区人民检察院", "鼓楼区检察院"),
    ("广东省深圳市人民检察院", "深圳市检察院"),
    ("四川省成都市人民检察院", "成都市院"),
    ("河北省石家庄市人民检察院", "石家庄市人民检察院"),
    ("浙江省杭州市西湖区人民检察院", "杭州市西湖区院"),
]

DIFFERENT = [
    ("上海市人民检察院第三分院", "上海市人民检察院"),
    ("上海市人民检察院第一分院", "上海市人民检察院第三分院"),
    ("济南市人民检察院", "济南市济阳区人民检察院"),
    ("济南市济阳区人民检察院", "济南市历城区人民检察院"),
    ("深圳市福田区人民检察院", "深圳市南山区人民检察院"),
    ("福建省福州市鼓楼区人民检察院", "江苏省南京市鼓楼区人民检察院"),
    ("北京市人民检察院", "北京市东城区人民检察院"),
    ("互助土族自治县人民检察院", "海东市人民检察院"),
    ("广西壮族自治区人民检察院", "广西壮族自治区南宁市人民检察院"),
    ("山东省人民检察院", "山东省菏泽市人民检察院"),
    ("江苏省昆山市检察院第四党支部", "昆山市检察院"),
    ("最高人民检察院", "北京市人民检察院"),
    ("昆山市人民检察院", "昆明市人民检察院"),
    ("济阳区人民检察院", "济阳县人民法院"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_names_of_one_procuratorate_are_the_same_unit(a, b):
    assert same_unit(a, b) and same_unit(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_names_of_different_units_are_not_the_same(a, b):
    assert not same_unit(a, b) and not same_unit(b, a)


def test_table_has_forty_real_pairs():
    assert len(SAME) + len(DIFFERENT) >= 40


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        ("江苏省昆山市检察院第四党支部", "昆山市检察院", True),
        ("北京市人民检察院第六检察部", "北京市检察院", True),
        ("济阳区检察院党组", "济南市济阳区人民检察院", True),
        ("上海市人民检察院第三分院", "上海市人民检察院", False),
        ("上海市人民检察院第三分院第二党支部", "上海市人民检察院第三分院", True),
        ("昆山市检察院", "江苏省昆山市检察院第四党支部", False),
    ],
)
def test_a_department_or_party_branch_belongs_to_its_procuratorate_but_a_branch_court_does_not(part, whole, expected):
    assert belongs_to(part, whole) is expected


def test_short_names_drop_province_city_people_and_autonomy():
    assert short_name("济南市济阳区人民检察院") == "济阳区检察院"
    assert short_name("互助土族自治县人民检察院") == "互助县检察院"
    assert short_name("上海市人民检察院第三分院") == "上海市检察院第三分院"
    assert short_name("北京市人民检察院") == "北京市检察院"


def test_name_forms_cover_the_ways_a_text_names_the_unit():
    forms = name_forms("互助土族自治县人民检察院")
    assert {"互助土族自治县人民检察院", "互助县人民检察院", "互助县检察院", "互助县院"} <= set(forms)
    assert forms == sorted(forms, key=lambda f: (-len(f), f))


def test_mentions_are_found_with_or_without_province_and_city():
    text = "近年来，山东省济南市济阳区检察院党组坚持……济阳区院和济南市检察院、历城区检察院联合开展。"
    found = [text[a:b] for a, b in find_mentions(text, "济南市济阳区人民检察院")]
    assert found == ["山东省济南市济阳区检察院", "济阳区院"]


def test_closest_unit_for_a_did_you_mean():
    found = ["山东省济南市济阳区检察院", "北京市检察院", "互助县人民检察院"]
    assert closest("济南市济阳县人民检察院", found) == "山东省济南市济阳区检察院"
    assert closest("x", []) is None


def test_complete_unit_adds_the_province_the_text_names_and_leaves_full_names_alone():
    from writer.text.units import complete_unit

    assert complete_unit("自治区人民检察院", "广西检察机关……广西") == "广西壮族自治区人民检察院"
    assert complete_unit("省检察院", "山东检察机关") == "山东省检察院"
    assert complete_unit("省检察院", "广西检察机关") == "省检察院"  # 广西 is no 省
    assert complete_unit("互助县人民检察院", "广西") == "互助县人民检察院"
    assert complete_unit("自治区人民检察院", "没有地名") == "自治区人民检察院"
