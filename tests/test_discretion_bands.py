"""Rows whose 情节 is a material and a band («涉及危险废物1吨以上3吨以下»), and a row that is only the lead clause
of other rows («属于排污许可证重点管理行业的» beside «…重点管理行业，重金属…排放超标的») — 2026-12-02, dev o074 /
dev4 d4-031: the quantity alone fitted three rows of three materials, and the bare lead row stayed beside the
row the facts fix."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.discretion.facts import conditions, widened
from assistant.discretion.narrowing import narrow_values
from assistant.discretion.groups import Group, Tier
from assistant.discretion.prior import prior_from_facts
from assistant.discretion.quantities import quantities
from assistant.discretion.tiers import band_kinds, choose_text_values, judge, named_kind

FARMLAND = "向农用地排放重金属或者其他有毒有害物质含量超标的污水、污泥，以及可能造成土壤污染的清淤底泥、尾矿、矿渣等的"
ROWS = ["涉及超标污水2吨以下的", "涉及一般固体废物10吨以下的", "涉及危险废物1吨以下的",
        "涉及超标污水2吨以上10吨以下的", "涉及一般固体废物10吨以上40吨以下的", "涉及危险废物1吨以上3吨以下的",
        "污水含重金属或者其他有毒有害物质超标0.5倍以上1倍以下，或者有2个超标因子的"]


def _group(violation: str, rows: list[str]) -> Group:
    doc = SimpleNamespace(id="jm", title="江门表", region="广东江门")
    tiers = [Tier(chunk=SimpleNamespace(), doc=doc, conds=conditions(f"{i + 1}：{r}", "")) for i, r in enumerate(rows)]
    return Group(key=("jm", violation), doc=doc, violation=violation, tiers=tiers)


def _fitting(group: Group, facts: str) -> list[str]:
    qty, prior = quantities(facts), prior_from_facts(facts)
    chosen = choose_text_values(group, facts, qty)
    judged = [(judge(t, facts, prior, qty, chosen), t) for t in group.tiers]
    top = max(sat for (sat, con), _ in judged if con == 0)  # as the advisor: the most conditions met, none broken
    return [t.conds[0].value for (sat, con), t in judged if con == 0 and sat == top]


def test_the_material_of_each_band_is_read_from_the_rows():
    kinds = band_kinds(_group(FARMLAND, ROWS))
    assert set(kinds) == {("违法情节", "t")}  # the 倍 rows are another dimension, with a single kind
    # what all bands share («涉及») is left out
    assert set(kinds[("违法情节", "t")].values()) == {"超标污水", "一般固体废物", "危险废物"}


def test_bands_that_differ_only_in_band_words_have_no_kinds():
    rows = ["以拖延等方式拒绝、阻挠现场检查的超过30分钟的", "以拖延等方式拒绝、阻挠现场检查的（10分钟以上30分钟以下）"]
    assert band_kinds(_group("拒绝现场检查", rows)) == {}


def test_the_named_material_keeps_its_own_bands_only():
    group = _group(FARMLAND, ROWS)
    facts = "台山某村，一家厂把2000公斤左右含重金属的污泥（已鉴定为危险废物）拉到稻田里倒了。"
    assert _fitting(group, facts) == ["涉及危险废物1吨以上3吨以下的"]
    facts = "有个厂把大概两吨半的一般固废倒进了农田"  # 危废 not named: the 一般固体废物 band, 2.5 t
    assert _fitting(group, facts) == ["涉及一般固体废物10吨以下的"]


def test_a_denied_material_or_two_named_decide_nothing():
    kinds = {"涉及超标污水", "涉及一般固体废物", "涉及危险废物"}
    assert named_kind(kinds, widened("堆了120吨表土，不涉及危废")) is None
    assert named_kind(kinds, widened("一般固废和危废混着倒的")) is None
    # one kind inside another: the words cannot tell «违法所得» from «没有违法所得或者违法所得»
    assert named_kind({"违法所得", "没有违法所得或者违法所得"}, "违法所得3万元") is None


PERMIT = ["属于排污许可证简化管理行业的", "属于排污许可证简化管理行业，涉及重金属、有毒或持久性有机物排放的",
          "属于排污许可证重点管理行业的", "属于排污许可证重点管理行业，涉及重金属、有毒或持久性有机物排放的",
          "属于排污许可证重点管理行业，重金属、有毒或持久性有机物排放超标的",
          "造成较大突发环境事件或其他严重后果的"]


def test_a_bare_lead_row_gives_way_when_the_facts_state_the_further_clause():
    facts = widened("新会一家电镀厂，属于排污许可重点管理行业，没拿排污证就排废水，检测总铬超标")
    assert narrow_values(PERMIT, facts, "未依法取得排污许可证排放水污染物的") == {PERMIT[4]}


def test_a_bare_lead_row_stays_when_the_further_clause_is_open():
    facts = widened("新会一家厂，属于排污许可重点管理行业，没拿排污证就排废水")
    kept = narrow_values(PERMIT, facts, "未依法取得排污许可证排放水污染物的")
    assert PERMIT[2] in kept and not any("简化" in v for v in kept)


BUILD = ["报告表项目，主体工程未建设完成的", "报告表项目，主体工程已建设完成的", "报告书项目，主体工程未建设完成的",
         "报告书项目，主体工程已建设完成的", "主体工程占用了生态环境保护法规政策规定禁止建设的区域的",
         "主体工程建设期间或投入使用后造成较大以上突发环境事件或其他严重后果的"]


def test_the_named_document_decides_though_its_clause_is_negated():
    from assistant.discretion.facts import choose_value

    # «环评报告表还没批下来»: the 没 is the act's (未批先建), not the document's (dev7 d7-021)
    assert choose_value(["报告表项目", "报告书项目"], widened("环评报告表还没批下来就动工了")) == "报告表项目"
    from assistant.discretion.facts import _by_document

    assert _by_document(["报告表项目", "报告书项目"], "这个项目不是报告书，没批就动工了") is None  # named only to deny it


def test_a_stage_then_an_aggravation_is_closed_without_a_consequence_and_a_denied_ban_zone_too():
    facts = widened("环评报告表还没批下来就动工了，厂房建好、生产线也装好了，还没开始生产。选址不在禁止建设的区域。")
    kept = narrow_values(BUILD, facts, "未依法报批建设项目环境影响报告书、报告表，擅自开工建设的")
    assert kept == {"报告表项目，主体工程已建设完成的"}


REMEDY = ["不涉及环境敏感区，污染物迁移扩散造成周边土壤污染面积100平方米以下，不涉及环境敏感区的",
          "污染物迁移扩散造成周边土壤污染面积100平方米以上200平方米以下，不涉及环境敏感区的",
          "污染物迁移扩散造成周边土壤污染面积100平方米以下，涉及环境敏感区的",
          "污染物迁移扩散造成周边土壤污染面积100平方米以上200平方米以下，涉及环境敏感区的"]


def test_a_clause_beside_the_band_is_chosen_as_text():
    group = _group("实施风险管控、修复活动对土壤、周边环境造成新的污染的", REMEDY)
    assert _fitting(group, "修复时污染物扩散，把旁边大概150平米的土弄脏了，边上就是水源保护区，属敏感区。") == [REMEDY[3]]
    assert _fitting(group, "修复时污染扩散了约150平方米，周边没有敏感区") == [REMEDY[1]]
    assert _fitting(group, "修复时污染扩散了约150平方米") == [REMEDY[1], REMEDY[3]]  # the place is asked


def test_the_statutes_negated_manner_negates_the_verb():
    from assistant.discretion.facts import _negated_at

    row = "未按照规定安装污染物排放自动监测设备的"
    assert _negated_at(row, row.find("安装"))
    row = "已按照规定安装污染物排放自动监测设备"
    assert not _negated_at(row, row.find("安装"))
    assert _negated_at("未依法报批", 3) and not _negated_at("依法报批", 2)


def test_a_thing_the_rest_of_its_clause_denies_is_said_denied():
    assert "未污染防治设施" in widened("喷漆房是封闭的，但废气治理设备根本没装")
    said = widened("一家铸造厂的废气排口设得不规范")  # a quality, not an absence: the 排口 is there
    assert "未排污口" not in said and "排污口" in said
    said = widened("活性炭吸附装置装了也在正常用")
    assert "按规定使用" in said and "未污染防治设施" not in said


def test_two_clauses_on_one_value():
    from assistant.discretion.narrowing import narrow_values

    rows = ["空间、设备未密闭，已安装且按规定使用污染防治设施", "空间、设备未密闭，已安装但未按规定使用污染防治设施",
            "空间、设备已密闭，但未按规定安装使用污染防治设施",
            "空间、设备未密闭，未按规定安装使用污染防治设施或未采取措施减少废气排放"]
    act = "产生含挥发性有机物废气的生产和服务活动，未在密闭空间或者设备中进行，未按照规定安装、使用污染防治设施"
    assert narrow_values(rows, widened("喷漆房是封闭的，但废气治理设备根本没装，直接用风机往外抽"), act) == {rows[2]}


# 江门's 大气 rows: the grade of smoke blackness (林格曼黑度) beside the multiple — dev2 d2-043, «林格曼黑度1级» had
# been matched by words to 「林格曼超过二级」
SMOKE = "超过大气污染物排放标准或者超过重点大气污染物排放总量控制指标排放大气污染物的"
SMOKE_ROWS = ["一个因子（不含重金属、酸雾、有毒、持久性有机物、挥发性有机物）超标，且不足1倍；林格曼二级以下",
              "排放大气污染物（不含重金属、酸雾、有毒、持久性有机物、挥发性有机物）浓度超过排放标准1倍以上或者超标因子超过一个的；林格曼超过二级"]


def test_the_ringelmann_grade_is_a_quantity_of_its_own():
    assert quantities("烟囱颗粒物超标0.6倍，林格曼黑度1级")["ringelmann"] == 1
    assert quantities("烟气黑度林格曼为三级")["ringelmann"] == 3
    assert "ringelmann" not in quantities("在饮用水水源一级保护区内排放2吨")
    group = _group(SMOKE, SMOKE_ROWS)
    first, second = (t.conds[0].value for t in group.tiers)  # each row's 「；」 parts are two conditions
    assert _fitting(group, "台山一家砖厂烟囱颗粒物超标0.6倍，其他指标都达标，林格曼黑度1级") == [first]
    assert _fitting(group, "砖厂烟囱颗粒物超标1.5倍，林格曼黑度三级") == [second]


def test_idioms_of_frequency_hold_no_quantity():
    """«三天两头停机» is «often»: no 3 days, no 2 head of livestock (dev2 d2-035)."""
    assert quantities("在线监测三天两头停机，没法正常运行") == {}
    assert quantities("隔三差五偷排，一年到头不停") == {}
    assert quantities("存栏两头猪，拖了三天") == {"unit": 2.0, "day": 3.0}


def test_a_stopped_monitor_is_not_said_to_run_normally():
    """停机 widens to one term, 「未保证正常运行」: split in two, its 「正常运行」 read as affirmed and voted for the
    row «监测设备正常运行，但未…联网» (dev2 d2-035)."""
    said = widened("废水在线监测装了也联了网，但三天两头停机")
    assert "未保证正常运行" in said and " 正常运行" not in said


EIA_ROWS = ["编制环境影响报告表的建设项目且未投入运行、生产和使用等活动的", "编制环境影响报告表的建设项目且已投入运行、生产和使用等活动的",
            "编制环境影响报告书的建设项目且未投入运行、生产和使用等活动的", "编制环境影响报告书的建设项目且已投入运行、生产和使用等活动的",
            "造成较大以上突发环境事件或其他严重后果的"]
EIA_ACT = "未编制环境影响评价文件，或者环境影响评价文件未经环境保护行政主管部门批准，擅自进行建造、运行、生产和使用的"


def test_values_joined_by_qie_are_read_clause_by_clause():
    """报告表 / 报告书 × 未投入 / 已投入: no bigram tells one row from all three others, the clauses on each side of
    「且」 do (dev4 d4-035); «用上了» is 已投入使用."""
    facts = widened("一家医院装了台DSA，应做环评报告表，环评还没批就已经用上了，被查后也没停用")
    assert narrow_values(EIA_ROWS, facts, EIA_ACT) == {EIA_ROWS[1]}
    assert narrow_values(EIA_ROWS, widened("环评报告书还没批，厂房刚动工，还没投产"), EIA_ACT) == {EIA_ROWS[2]}


EIA_KINDS = ["报告表类（非生产型）", "报告表类（生产型）", "报告书类（非生产型）", "报告书类（重点行业以外的生产型）",
             "报告书类（化工、电镀、皮革、造纸、制浆、冶炼、放射性、印染、染料、炼焦、炼油等重点项目）"]


def test_an_industry_the_list_names_chooses_the_listed_row_not_its_complement():
    """广东's 「报告书类（化工、电镀、……等重点项目）」: «电镀项目» is that row, not 「重点行业以外的生产型」; 放射性 in the list
    of industries marks no hazard (dev2 d2-033, dev8 d8-021 once «没投产» was read)."""
    from assistant.discretion.facts import choose_value

    facts = widened("新会一个电镀项目的环评报告书，漏评了含镍废水的影响。项目还没投产，选址在一般区域")
    assert choose_value(EIA_KINDS, facts) == EIA_KINDS[4]
    assert choose_value(EIA_KINDS, widened("一个家具厂项目的环评报告书，生产型项目，还没投产")) != EIA_KINDS[4]
