"""Strict JSON reading: the cheap test for a repeated key never misses one."""

import json

from hypothesis import given
from hypothesis import strategies as st

from screening.jsontext import may_repeat_a_key, repeated_key, repeated_keys

KEYS = st.sampled_from(["a", "b", "intent", 'q"uote', "sp ace", "colon:"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5),
                    st.sampled_from(["x", '": ', '\\": ', "a\": b"]))


def objects(children):
    return st.lists(st.tuples(KEYS, children), max_size=5)


JSON_PAIRS = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=3), objects(children)), max_leaves=12)


def write(node, spaced: bool) -> str:
    """Pairs written as an object, keys repeated as given."""
    colon = " : " if spaced else ":"
    if isinstance(node, list) and node and all(isinstance(item, tuple) for item in node):
        return "{" + ",".join(json.dumps(key) + colon + write(value, spaced)
                              for key, value in node) + "}"
    if isinstance(node, list):
        return "[" + ",".join(write(item, spaced) for item in node) + "]"
    return json.dumps(node)


def key_count(data) -> int:
    if isinstance(data, dict):
        return len(data) + sum(key_count(value) for value in data.values())
    if isinstance(data, list):
        return sum(key_count(item) for item in data)
    return 0


def has_repeat(node) -> bool:
    if isinstance(node, list) and node and all(isinstance(item, tuple) for item in node):
        keys = [key for key, _ in node]
        return len(set(keys)) < len(keys) or any(has_repeat(value) for _, value in node)
    if isinstance(node, list):
        return any(has_repeat(item) for item in node)
    return False


@given(st.one_of(objects(JSON_PAIRS), JSON_PAIRS), st.booleans())
def test_the_cheap_test_never_misses_a_repeated_key(node, spaced):
    text = write(node, spaced)
    data = json.loads(text)
    if has_repeat(node):
        assert may_repeat_a_key(text.encode(), key_count(data))
        assert repeated_keys(text)
    else:
        assert repeated_keys(text) == []


def test_repeated_keys_are_named_by_their_path():
    text = '{"answers": {"cssrs": {"intent": true, "intent": false}}, "id": 1, "id": 2}'
    assert repeated_keys(text) == ["answers.cssrs.intent", "id"]
    assert repeated_key('[{"a": 1}, {"b": {"c": 1, "c": 1}}]') == "[1].b.c"
    assert repeated_key('{"a": 1}') is None
    assert repeated_key("{not json") is None
