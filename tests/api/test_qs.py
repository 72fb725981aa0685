import pytest

from api.errors import ValidationError
from api.query.qs import parse
from tests.api.helpers import stringify


def test_nested_brackets_and_indexed_arrays():
    assert parse("filters[teams][slug][$eq]=x&populate[0]=avatar&populate[1]=teams") == {
        "filters": {"teams": {"slug": {"$eq": "x"}}},
        "populate": ["avatar", "teams"],
    }


def test_empty_brackets_and_repeated_keys_make_lists():
    assert parse("a[]=1&a[]=2&b=3&b=4") == {"a": ["1", "2"], "b": ["3", "4"]}


def test_arrays_of_objects():
    parsed = parse("filters[$or][0][title][$eq]=a&filters[$or][1][title][$eq]=b")
    assert parsed == {"filters": {"$or": [{"title": {"$eq": "a"}}, {"title": {"$eq": "b"}}]}}


def test_indices_out_of_order_keep_their_order():
    assert parse("sort[1]=b&sort[0]=a") == {"sort": ["a", "b"]}


def test_round_trip_with_a_qs_like_stringify():
    params = {
        "filters": {"$and": [{"startDate": {"$notNull": True}}, {"name": {"$containsi": "a b&c"}}]},
        "pagination": {"page": 2, "pageSize": 10},
    }
    assert parse(stringify(params)) == {
        "filters": {"$and": [{"startDate": {"$notNull": "true"}}, {"name": {"$containsi": "a b&c"}}]},
        "pagination": {"page": "2", "pageSize": "10"},
    }


def test_too_deep_is_an_error():
    with pytest.raises(ValidationError, match="deeper"):
        parse("a" + "[x]" * 25 + "=1")


def test_a_value_and_nested_keys_under_one_name_is_an_error():
    with pytest.raises(ValidationError, match="mixes"):
        parse("filters=1&filters[a]=2")
