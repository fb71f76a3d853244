from corpus.amounts import parse_yuan_range
from corpus.numerals import cn_to_int, int_to_cn, parse_article_label


def test_chinese_numbers():
    assert cn_to_int("一百零一") == 101
    assert cn_to_int("十") == 10
    assert cn_to_int("十五") == 15
    assert cn_to_int("一千二百三十四") == 1234
    assert cn_to_int("三万") == 30000
    assert cn_to_int("33") == 33
    assert cn_to_int("abc") is None


def test_article_labels():
    assert parse_article_label("第三十三条") == (33, None)
    assert parse_article_label("第一百零一条") == (101, None)
    assert parse_article_label("第十条之一") == (10, 1)
    assert parse_article_label("第33条") == (33, None)
    assert parse_article_label("三十三") is None


def test_int_to_cn_round_trip():
    for n in (1, 10, 11, 20, 33, 100, 101, 110, 1000, 1010, 1234):
        assert cn_to_int(int_to_cn(n)) == n


def test_yuan_ranges():
    assert parse_yuan_range("处3万元以上4万元以下罚款") == (30000, 40000)
    assert parse_yuan_range("处十万元以上一百万元以下的罚款") == (100000, 1000000)
    assert parse_yuan_range("处五万元以下罚款") == (None, 50000)
    assert parse_yuan_range("处2.5万元以上3万元以下") == (25000, 30000)
    assert parse_yuan_range("处建设项目总投资额百分之一以上百分之二以下的罚款") == (None, None)
