"""Reading JSON text strictly: NaN and Infinity refused, and no key given twice.

A JSON object with the same key twice parses, in every common library, to the last value:
`{"intent": true, "intent": false}` would quietly become "no". For a safety answer that
is as dangerous as a misspelt field, so it is refused the same way, naming where it is.
No Django import: the `screen` command uses this without loading Django.
"""

import json

import orjson


class _Pairs(list):
    """An object's (key, value) pairs, in order, as written."""


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


_strict = json.JSONDecoder(parse_constant=_refuse_constant)
_as_pairs = json.JSONDecoder(parse_constant=_refuse_constant, object_pairs_hook=_Pairs)


def decode(data: bytes | str):
    """JSON text as data; NaN and Infinity refused. Raises ValueError with the reason.
    Does not look for repeated keys (see repeated_key)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        # The standard library reads what orjson cannot (integers past 64 bits) and says
        # plainly where the text is broken.
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        try:
            return _strict.decode(text)
        except RecursionError:
            raise ValueError("nested too deeply") from None


def id_of_refused(text: str | bytes):
    """The "id" of a case that decode refused for a NaN or Infinity in it, so its error line
    can still say which case it was; None when that cannot be read either."""
    try:
        data = json.loads(text)  # the standard library's own reading lets NaN through
    except (ValueError, RecursionError):
        return None
    return data.get("id") if type(data) is dict else None


def loads(text: str | bytes):
    """Like decode, and a key given twice in an object is refused (ValueError naming it)."""
    data = decode(text)
    if (where := repeated_key(text)) is not None:
        raise ValueError(f"{where}: given twice (each key may appear once)")
    return data


def may_repeat_a_key(text: bytes, keys: int) -> bool:
    """False when `text`, which parsed into objects holding `keys` keys in all, cannot hold
    a key twice. Every key written is followed by a colon, so with no more colons than
    keys kept, none was written twice. One byte count; when it says True (a colon inside
    a string, say), repeated_keys tells for sure."""
    return text.count(b":") != keys


def repeated_key(text: str | bytes) -> str | None:
    """The path of the first key written twice in one object ("answers.cssrs.intent"), or
    None."""
    return next(iter(repeated_keys(text)), None)


def repeated_keys(text: str | bytes) -> list[str]:
    """The path of every key written twice in one object, in order ("[2].answers.phq9" in
    a list). Expects text that parses (see decode); otherwise there are none to report."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    try:
        return list(_repeats(_as_pairs.decode(text), ""))
    except (ValueError, RecursionError):
        return []


def _repeats(node, path: str):
    if isinstance(node, _Pairs):
        seen = set()
        for key, value in node:
            where = f"{path}.{key}" if path else key
            if key in seen:
                yield where
            seen.add(key)
            yield from _repeats(value, where)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _repeats(item, f"{path}[{index}]")
