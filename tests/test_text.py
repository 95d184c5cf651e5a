import pytest

from analysis.data import text as t


def test_paragraphs_split_at_blank_runs(text):
    paras = t.paragraphs(text)
    assert [p.number for p in paras] == [1, 2, 3, 4, 5, 6]
    assert paras[0].text.startswith("Tan Chengxu Led a Delegation")
    assert all(text[p.start : p.end] == p.text for p in paras)
    assert paras[-1].text.endswith("took part in the event.")  # trailing spaces dropped


def test_paragraphs_of_uneven_gaps():
    paras = t.paragraphs("One.\n\nTwo.\n\n\n\nThree.  \n")
    assert [p.text for p in paras] == ["One.", "Two.", "Three."]
    assert paras[2].start == "One.\n\nTwo.\n\n\n\n".__len__()


def test_sentences_cover_article_and_respect_abbreviations(text):
    sents = t.sentences(text, ["Co.", "Ltd."])
    assert len(sents) == 15
    assert all(text[s.start : s.end] == s.text for s in sents)
    # "Co., Ltd." never ends a sentence
    assert any(s.text.startswith("Tellyes Technology Co., Ltd. is a high-tech enterprise") for s in sents)
    assert [s.paragraph for s in sents].count(4) == 6


def test_sentences_split_on_capital_only():
    assert [s.text for s in t.sentences("It is Co., Ltd. in use. Then more.")] == ["It is Co., Ltd. in use.", "Then more."]


def test_sentences_keep_listed_abbreviations():
    text = "He met Acme Co. Ltd. Staff. Then Dr. Who left. End."
    assert [s.text for s in t.sentences(text)] == ["He met Acme Co.", "Ltd.", "Staff.", "Then Dr.", "Who left.", "End."]
    joined = t.sentences(text, ["Co.", "Ltd.", "Dr."])
    assert [s.text for s in joined] == ["He met Acme Co. Ltd. Staff.", "Then Dr. Who left.", "End."]
    assert all(text[s.start : s.end] == s.text for s in joined) and [s.number for s in joined] == [1, 2, 3]


def test_paragraph_at(text):
    assert t.paragraph_at(text, 0) == 1
    assert t.paragraph_at(text, 200) == 2
    with pytest.raises(ValueError, match="not inside any paragraph"):
        t.paragraph_at(text, 106)  # the blank line after the title


def test_find_all_and_locate(text):
    assert len(t.find_all("Tan Chengxu", text)) == 7
    assert t.find_all("", text) == []
    assert t.find_all("aa", "aaa") == [0, 1]
    span = t.locate("Binhai High - tech", text, occurrence=2)
    assert text[span.start : span.end] == "Binhai High - tech"
    assert span.paragraph == 5
    with pytest.raises(ValueError, match="occurs 0 time"):
        t.locate("Shanghai", text)
