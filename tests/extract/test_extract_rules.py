"""Each rule of the language on sentences of its own: what is a target, what is not."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # several targets in one sentence, one row each
        ("新增国家级孵化器4家,培育科技型企业120家,争取新增省级研发中心15个以上。",
         [(4, "家"), (120, "家"), (15, "个")]),
        # counts standing before their noun are targets
        ("建设12家以上未来工厂和60家以上数字化车间。", [(12, "家"), (60, "家")]),
        # units with multipliers, per-unit units, physical quantities
        ("工业投资完成850亿元,人均产值达到45万元/人,腾出用能12万吨标准煤,新增厂房80万平方米。",
         [(850, "亿元"), (45, "万元/人"), (12, "万吨标准煤"), (80, "万平方米")]),
        ("累计推广工业机器人5000台,上云企业达到2.4万家,引进外资3.2亿美元。",
         [(5000, "台"), (2.4, "万家"), (3.2, "亿美元")]),
        # percentages, ASCII and full-width
        ("数字经济核心产业增加值年均增长12％以上,研发投入强度达到3.1%。", [(12, "%"), (3.1, "%")]),
        # full-width digits
        ("新增上市公司５家。", [(5, "家")]),
        # ranges
        ("组织4-6场产业对接会,创建1~2家国家级平台,新建2—3所技工学校。", [(4, "场"), (1, "家"), (2, "所")]),
        # an index has no unit but is a target
        ("工业互联网发展指数达到96以上。", [(96, "index")]),
    ],
)
def test_targets_are_proposed(sentence: str, expected: list[tuple[float, str]], proposed: Callable) -> None:
    assert proposed(sentence) == [(float(v), u) for v, u in expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # document numbers and dates of issue
        ("根据《关于加快工业发展的意见》(衢政发〔2019〕7号)精神,制定本方案。", []),
        ("衢州市人民政府\n2021年6月18日\n", []),
        ("发布时间:2021-06-20 09:15 浏览次数:3321", []),
        # section numbers
        ("3.实施企业培育工程。\n(2)推进项目建设。", []),
        # programme labels in quotation marks
        ("深入实施“4566”工程和“1+3+N”平台体系,打造“10个100”标杆。", []),
        # numerals as labels and durations
        ("聚焦五大产业,实施十大工程,通过三年努力,推进两个全覆盖。", []),
        # names that contain numbers
        ("落实“中国制造2025”,迈向工业4.0,推广5G网络和O2O模式,争创世界500强。", []),
        # ordinals
        ("举办第3届智能制造大会。", []),
        # a measure describing a noun is an attribute, the count after it the target
        ("招引投资20亿元以上重大项目8个。", [(8, "个")]),
        ("全面整治亩均税收2万元以下企业。", []),
        ("对用地15亩以上的企业开展评价。", []),
        # a measure followed by 的 + a measure noun is still a target
        ("新材料产业达到600亿元以上的产值规模。", [(600, "亿元")]),
        # a capacity naming a project is not a target; a capacity to form is
        ("重点推进年产3000吨碳纤维项目、年产50万套轮毂项目。", []),
        ("形成年产5万台数控机床的产能规模。", [(5, "万台")]),
        # a clause citing another plan
        ("按照省里12个重点行业的部署,新增企业技术中心6家。", [(6, "家")]),
        # a count restating the list before it
        ("支持柯城、衢江2个区开展试点,新增试点企业10家。", [(10, "家")]),
        # background: already achieved, or a year before the plan
        ("全市已建成数字化车间46个。", []),
        ("2020年,全市规上工业产值达到2100亿元。", []),
        # numbers describing the members of 一批 …的
        ("遴选一批专注于1~2个细分领域的企业作为培育对象。", []),
        # Chinese numerals count only right after a target verb
        ("新增两个国家级平台。", [(2, "个")]),
        ("推动纺织、化纤两个行业转型。", []),
    ],
)
def test_rules(sentence: str, expected: list[tuple[float, str]], proposed: Callable) -> None:
    assert proposed(sentence) == [(float(v), u) for v, u in expected]


def test_magnitude_grades(proposed: Callable) -> None:
    assert proposed("达到万吨级碳纤维、百万平米级薄膜的规模生产。") == [(1.0, "万吨"), (100.0, "万平米")]
    assert proposed("培育一批千亿级产业集群,百亿级以上企业全覆盖。") == []


def test_each_gives_one_row_per_item(proposed: Callable) -> None:
    assert proposed("培育链主企业、隐形冠军企业、专精特新企业各30家。") == [(30.0, "家")] * 3


def test_traditional_script_reads_like_simplified(proposed: Callable) -> None:
    simplified = "力争到2023年底,全市规上工业亩均税收达到30万元,新增工业机器人2000台。"
    traditional = "力爭到2023年底,全市規上工業畝均稅收達到30萬元,新增工業機器人2000臺。"
    assert proposed(simplified) == proposed(traditional) == [(30.0, "万元/亩"), (2000.0, "台")]
