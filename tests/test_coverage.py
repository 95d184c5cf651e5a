"""The tables hold every sentence of the article that states a fact, tells of the visit or gives a directive."""

TABLE_FOR_FUNCTION = {"claim": "claims", "visit": "activities", "directive": "directives", "evaluation": "claims", "attendance": "entities"}


def _overlaps(table, start, end):
    return ((table["start"] < end) & (table["end"] > start)).sum()


def test_every_sentence_is_coded_in_a_content_table(ds):
    for _, s in ds.sentences.iterrows():
        if s["function"] == "headline":
            continue
        table = ds.tables[TABLE_FOR_FUNCTION[s["function"]]]
        assert _overlaps(table, s["start"], s["end"]) > 0, f"{s['sentence_id']} ({s['function']}) has no row in {TABLE_FOR_FUNCTION[s['function']]}"


def test_directive_sentences_are_split_into_clauses(ds):
    directive_sentences = ds.sentences[ds.sentences.function == "directive"]
    counts = [_overlaps(ds.directives, s.start, s.end) for s in directive_sentences.itertuples()]
    assert counts == [5, 6]


def test_people_who_took_part_are_all_entities(ds):
    attendance = ds.sentences[ds.sentences.function == "attendance"].iloc[0]
    people = ds.entities[(ds.entities.entity_type == "person") & (ds.entities.paragraph == attendance.paragraph)]
    assert sorted(people.entity_id) == ["lu_lin", "yi_qingtao", "zhang_shijun"]


def test_every_enterprise_has_claims_and_activities(ds):
    from analysis.queries.roles import enterprises

    assert len(enterprises(ds)) == 3
    for firm in enterprises(ds):
        assert (ds.claims.entity_id == firm).sum() >= 5
        assert (ds.activities.stop_id == firm).sum() >= 2
