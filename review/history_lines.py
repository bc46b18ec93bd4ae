"""The intake page's history as lines worked out once here, so the template only prints them.

Every view of an intake is one more event, and the page lists up to 200: through the
template each cost about 77 us (a date filter, the actor's name with two defaults, the
action's words, up to seven lookups into the event's detail), 4 ms for 56 events
(docs/performance.md, "Fourth session"). Each line below is what that template printed,
escaped the same way (tests/review/test_history_lines.py compares them event by event).
"""

from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_MISSING = ""  # what the template printed for a key the detail does not have


def _get(detail, key: str):
    return detail.get(key, _MISSING) if isinstance(detail, dict) else _MISSING


def _shown(value) -> str:
    return conditional_escape(localize(value))


def _joined(value) -> str:
    """The template's `|join:", "`: each item escaped; a value that is not a list as it is."""
    try:
        return ", ".join(conditional_escape(item) for item in value)
    except TypeError:
        return _shown(value)


def _what(event) -> SafeString:
    detail = event.detail
    parts = [conditional_escape(str(event.get_action_display()).lower())]
    if event.action == "state":
        parts.append(f" {_shown(_get(detail, 'from'))} &rarr; {_shown(_get(detail, 'to'))}")
    elif event.action == "decide" and _get(detail, "move") == "amend":
        parts.append(f" (amended to version {_shown(_get(detail, 'version'))}: "
                     f"{_joined(_get(detail, 'changed'))})")
    elif event.action == "decide":
        judged = "accepted" if _get(detail, "accepted") else "overrode"
        parts.append(f" ({judged}: {_shown(_get(detail, 'indicated'))})")
    outcome = _get(detail, "to_outcome")
    if outcome:
        parts.append(f" (outcome: {_shown(outcome)})")
    # Every value in the parts was escaped above; the rest is this module's own text.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


def history_lines(events) -> list[dict]:
    """Each event's line: when (local time, to the second), who, in what role, what."""
    lines = []
    for event in events:
        actor = event.actor
        who = (actor.full_name or actor.email) if actor is not None else ""
        lines.append({
            "at": timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
            "who": who or "System",
            "role": event.actor_role,
            "what": _what(event),
        })
    return lines
