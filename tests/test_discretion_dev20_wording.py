"""What the twentieth blind set (dev20, 2026-12-05) showed once read: a softened negator («不太配合») read as
cooperation, a value whose clause opens with 未 taken as denied by the facts' own 没, a clause that asks («出了
事故怎么应急») voting as if it stated, «没有方案», the special act behind the general one («带放射性的废渣»), an act
on a premise the facts never state («发现…异常»), a kind denied («不算化工») read as named, and papers still to be
checked («要等…把转移联单拉出来核») read as the act. Also the short names of a retired source, now spelt out by
one reader instead of ten term lines."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.discretion.answers import pending_checks_dropped
from assistant.discretion.clauses import agreement
from assistant.discretion.conduct import cooperated
from assistant.discretion.facts import widened
from assistant.discretion.media import named_substances, substance_act_first
from assistant.discretion.premises import premise_unstated, premised_acts_behind
from assistant.discretion.structure import class_mentions, spell_out_sources
from assistant.discretion.tiers import stated_value
from assistant.discretion.wording import _denied, _negated_at

PLAN_ACT = "不按照规定制定水污染事故的应急方案"
PLAN_ROWS = ["已制定水污染事故的应急方案，但不符合规定", "未制定水污染事故的应急方案"]
TOXIC_ACT = "未按照规定对有毒有害水污染物的排污口和周边环境进行监测，或者未公开有毒有害水污染物信息"
TOXIC_ROWS = ["未按照规定对有毒有害水污染物的排污口和周边环境进行监测", "未公开有毒有害水污染物信息"]


@pytest.mark.parametrize("said", ["调记录时院方一直说找不到，不太配合。", "问话不怎么配合", "整个过程不是很配合"])
def test_a_softened_negator_is_no_cooperation(said):
    assert cooperated(said) is False
    assert stated_value(["配合调查", "不配合调查"], said) == "不配合调查"


def test_softeners_negate_only_right_before_the_word():
    assert _negated_at("不太配合", 2) and not _negated_at("太配合", 1) and _negated_at("不配合", 1)
    assert cooperated("调资料、问话都很配合") is True  # «很配合» is no softened negator


def test_a_row_whose_clause_opens_with_a_negator_agrees_with_a_denial_in_the_facts():
    said = "一家电镀企业，废水里的镍是名录上管控的有毒有害物质，排口和周边的监测一直没做。"
    assert not _denied(TOXIC_ROWS[0], "排污口 未排污口", {"排污", "污口"})  # «未…进行监测» reaches 排污口
    assert _denied("特殊或重大活动期间", "没有重大活动", {"重大", "活动"})  # a row stating a thing stays denied
    assert stated_value(TOXIC_ROWS, said, act=TOXIC_ACT) == TOXIC_ROWS[0]
    assert stated_value(TOXIC_ROWS, "排口监测倒是按要求做了，数据一直没对外公开", act=TOXIC_ACT) == TOXIC_ROWS[1]


def test_a_clause_that_asks_states_nothing():
    said = "一家印染厂，出了水污染事故怎么应急，厂里压根没有方案。"
    assert agreement(PLAN_ROWS[0], "出了水污染事故怎么应急", PLAN_ACT) == 0.0
    assert stated_value(PLAN_ROWS, said, act=PLAN_ACT) == PLAN_ROWS[1]
    assert stated_value(PLAN_ROWS, "水污染事故的应急方案编了，但内容是抄别人的，不符合规定", act=PLAN_ACT) == PLAN_ROWS[0]


@pytest.mark.parametrize("said, spelt", [
    ("报废了一枚三类源，一直放着", "报废了一枚三类废旧放射源，一直放着"),
    ("医院有枚四类废源锁在柜子里", "医院有枚四类废旧放射源锁在柜子里"),
    ("二类废旧源没送去收贮", "二类废旧放射源没送去收贮"),
    ("那枚三类源已经报废了", "那枚三类废旧放射源已经报废了"),
])
def test_retired_sources_are_spelt_out(said, spelt):
    assert spell_out_sources(said) == spelt
    assert class_mentions(spelt) == class_mentions(said)


@pytest.mark.parametrize("said", ["医院的二类源还在用", "报废电器这类源头没管住", "三类源在用，报废的是旧的探头",
                                  "几类源都有"])
def test_sources_in_use_keep_their_short_name(said):
    assert spell_out_sources(said) == said


def _ranked(*acts: tuple[float, str]) -> list[tuple]:
    return [(score, 0.2, SimpleNamespace(violation=act)) for score, act in acts]


SLAG = "向水体排放、倾倒工业废渣、城镇垃圾或者其他废弃物"
RADIOACTIVE = "向水体排放、倾倒放射性固体废物或者含有高放射性、中放射性物质的废水"


def test_an_act_for_the_substance_the_facts_name_comes_before_the_general_one():
    ranked = _ranked((0.645, SLAG), (0.642, RADIOACTIVE), (0.40, "其他"))
    moved = substance_act_first(ranked, "企业把带放射性的固体废渣倒进厂边的河里")
    assert [r[2].violation for r in moved] == [RADIOACTIVE, SLAG, "其他"]
    assert [r[0] for r in moved] == [0.645, 0.642, 0.40]  # the places keep their scores
    assert substance_act_first(ranked, "把废渣倒进河里，检测不含放射性") == ranked  # denied: no substance named
    far = _ranked((0.645, SLAG), (0.50, RADIOACTIVE))
    assert substance_act_first(far, "带放射性的废渣倒进河里") == far  # too far behind: the words decide
    assert named_substances("含病原体的污水直排") == {"病原体"}
    other_deeds = _ranked((0.70, "出具虚假辐射监测报告"), (0.68, "托运人未按照规定将放射性物品运输的辐射监测报告备案"))
    assert substance_act_first(other_deeds, "给要运输的放射性物品出了份假的辐射监测报告") == other_deeds  # dev4 d4-047


ANOMALY = "发现个人剂量监测结果异常，未进行核实与调查，并未将有关情况及时报告原辐射安全许可证发证机关的，逾期未改正"
DOSIMETRY = "未按规定开展个人剂量监测，逾期未改正"


def test_an_act_on_a_premise_the_facts_do_not_state_goes_behind():
    ranked = _ranked((0.953, ANOMALY), (0.872, DOSIMETRY))
    said = "探伤工一直没戴个人剂量计，也没送检测。责令限期改，到期复查还是没做。"
    assert premise_unstated(ANOMALY, said) and not premise_unstated(DOSIMETRY, said)
    assert [r[2].violation for r in premised_acts_behind(ranked, said)] == [DOSIMETRY, ANOMALY]
    stated = "剂量计读数突然偏高，公司没查原因也没报告"
    assert not premise_unstated(ANOMALY, stated) and premised_acts_behind(ranked, stated) == ranked


def test_a_kind_the_facts_deny_closes_the_row_that_lists_it():
    rows = ["应编制环境影响报告书项目，不属于化工、电镀、造纸、印染、炼油、危险废物处置和利用项目的",
            "应编制环境影响报告书项目，属于化工、电镀、造纸、印染、炼油项目的"]
    said = "环评做的是报告书，配套设施建的时候一样都没跟上。屠宰不算化工、造纸、印染那几类重污染行业。"
    assert stated_value(rows, said, act="建设单位在项目建设过程中未同时组织实施环境保护对策措施") == rows[0]
    assert "未同时" in widened("建的时候一样都没跟上")


def test_papers_still_to_be_checked_are_evidence_not_the_act():
    said = "危废台账根本没建，进出都没记录。涉及多少吨现在说不准，要等他们把库存和转移联单拉出来核。罚多少？"
    assert "转移联单" not in pending_checks_dropped(said) and "台账" in pending_checks_dropped(said)
    assert pending_checks_dropped("转移联单一直没填") == "转移联单一直没填"
    assert pending_checks_dropped("要等他们把联单拉出来核") == "要等他们把联单拉出来核"  # nothing else left


@pytest.mark.parametrize("said, legal", [("排放数据倒是在网上挂了，但浓度明显压低了", "不如实"),
                                          ("按规定每年要把危废产生量对外公布", "公开")])
def test_everyday_words_for_publishing(said, legal):
    assert legal in widened(said)


@pytest.mark.parametrize("said", ["环境信息只贴在厂门口公告栏，网上啥也没有", "他们只在办公室墙上贴了张纸"])
def test_publishing_through_the_wrong_channel(said):
    assert "规定的方式" in widened(said)  # 不按照规定的方式公开环境信息 (dev18 d18-029, dev20 d20-014)


def test_still_only_the_old_thing_after_the_deadline_is_overdue():
    from assistant.discretion.spoken import deadline_kept
    assert deadline_kept("责令限期改，到期去看还是只有那张纸。") is False
    assert deadline_kept("限期整改，复查时依然只有一张承诺书") is False
    assert deadline_kept("只有一个排口，限期内已经改好了") is True


def test_a_finding_denied_denies_the_row_of_that_consequence():
    row = "违法行为造成有毒有害物质渗漏、流失、扬散"
    assert _denied(row, "土壤敏感程度算不敏感，也没发现渗漏扬散。", {"渗漏", "扬散"})
    assert not _denied(row, "围堰破了，发现渗漏到外面", {"渗漏"})


@pytest.mark.parametrize("said", ["批复里要求建事故应急池，施工时一样都没搞", "建的时候一样都没跟上"])
def test_during_construction(said):
    assert "建设过程中" in widened(said)  # 环境影响评价法 第二十六条 (dev17 d17-030)


@pytest.mark.parametrize("said, legal", [("台山一块地该修复没修复", "未实施"), ("院里那台普通面包车拉医废", "车辆")])
def test_repair_not_done_and_a_van(said, legal):
    assert legal in widened(said)  # 土壤污染防治法 第九十四条; 医疗废物管理条例 第四十六条 (dev13 d13-033, d13-010)


@pytest.mark.parametrize("said", ["去调记录，老板把门一锁人跑了。", "查的时候人也溜了"])
def test_running_off_is_no_cooperation(said):
    assert cooperated(said) is False  # dev15 d15-004


def test_a_business_run_is_a_unit_whoever_runs_it():
    from assistant.discretion.party import PERSON, party_of
    assert party_of("有人在饮用水源二级保护区范围里新开了个洗车场") is None  # both said: the officer is asked (dev8 d8-011)
    assert party_of("有人在一级保护区里游泳") == PERSON


@pytest.mark.parametrize("said, legal", [("修复没按方案来做", "实施"), ("发货前监测就已经不合格了，还是交给了承运方", "交付托运")])
def test_plans_and_consignment(said, legal):
    assert legal in widened(said)  # 土壤污染防治法 第九十四条; 放射性物品运输安全管理条例 (dev12 d12-012, dev15 d15-021)


@pytest.mark.parametrize("said, legal", [("用了多少、卖给了谁一概没记，单据也没留", "未记录"),
                                          ("列进强制清洁生产审核名单两年了，审核压根没做", "不实施")])
def test_records_not_kept_and_audits_not_done(said, legal):
    assert legal in widened(said)  # 新化学物质环境管理登记办法; 清洁生产促进法 第三十九条 (dev10 d10-002, dev9 d9-012)


# ---- what a review (2026-12-06) broke, and stays mended ----------------------------------------------------------
def test_a_place_named_is_no_unit():
    from assistant.discretion.party import PERSON, party_of
    for said in ("一名男子在码头附近游泳", "村民在码头边钓鱼", "游客在加油站旁边烧纸"):
        assert party_of(said) == PERSON


def test_the_act_itself_is_no_pending_check():
    said = "该厂废酸一直没处置，每次等没人时拉出去偷倒被巡查发现，这次是第二次"
    assert pending_checks_dropped(said) == said


def test_an_emphatic_how_states():
    assert agreement("未及时采取应急措施", "出了事故，企业怎么也不采取应急措施", "") != 0.0


@pytest.mark.parametrize("said, named", [("非法倾倒放射性废物", {"放射性"}), ("无证收集剧毒废液", {"剧毒"}),
                                          ("不慎将放射性废渣倒入河中", {"放射性"}), ("检测不含放射性", set())])
def test_only_a_denial_right_before_unnames_a_substance(said, named):
    assert named_substances(said) == named


@pytest.mark.parametrize("said", ["三类源没有报废，仍在使用", "三类源尚未报废", "淘汰的探伤机旁有一枚三类源在用"])
def test_a_source_not_said_retired_keeps_its_name(said):
    assert spell_out_sources(said) == said


def test_only_the_retired_source_is_spelt_out():
    assert spell_out_sources("把报废的二类源换成了新的三类源") == "把报废的二类废旧放射源换成了新的三类源"


@pytest.mark.parametrize("said, helped", [("晚上门一锁就偷偷往河里排", None), ("我们人跑了好几趟", None),
                                           ("配合度不高", False), ("老板不太愿意配合", False), ("厂子不大，配合得很好", True)])
def test_cooperation_readings(said, helped):
    assert cooperated(said) is helped


def test_a_large_plant_cooperating_is_cooperation():
    assert stated_value(["配合调查", "不配合调查"], "厂子不大配合得很好") == "配合调查"


@pytest.mark.parametrize("said", ["复查时企业还只是在整改期限内", "复查时仍只有一名工人在岗，设备运行正常"])
def test_still_only_needs_the_old_state(said):
    from assistant.discretion.spoken import deadline_kept
    assert deadline_kept(said) is not False


def test_a_finding_denied_with_a_filler_word():
    row = "违法行为造成有毒有害物质渗漏、流失、扬散"
    assert _denied(row, "现场没发现有渗漏", {"渗漏"}) and _denied(row, "未发现明显渗漏", {"渗漏"})
    assert _denied("无组织排放造成周边大气污染", "现场没发现周边大气污染", {"周边", "大气", "污染"})


@pytest.mark.parametrize("said, legal", [
    ("危废桶上只贴了一张标签", "规定的方式"), ("人和身份证对不上", "不如实"), ("把价格压低", "不如实"),
    ("施工时被发现没有环评", "建设过程中"), ("在线监测设备坏了没有修复", "未实施"), ("用面包车拉生活垃圾", "车辆"),
    ("人员没跟上", "未同时"),
])
def test_the_term_lines_stay_in_their_sense(said, legal):
    assert legal not in widened(said)


def test_failing_a_check_is_no_compliance():
    from assistant.discretion.facts import _WITHIN_LIMITS
    assert not _WITHIN_LIMITS.search("发货前监测就已经不合格了") and _WITHIN_LIMITS.search("监测都合格")
