"""Block Kit for ``/keyaccount``: the scoring modal, what a submission holds, the result and the
ranking table. Pure functions of the scorecard and the ranking; no Web API calls.

The modal has one input block for the client's name (``client``) and one per criterion
(``score:<criterion id>``, a static select of 1 to 10), under a header per group; errors go back
on the same block ids.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.db.key_accounts import Standing
from bot.keyaccounts import (
    CLIENT,
    NAME_MAX,
    SCORE_MAX,
    SCORE_MIN,
    Ranked,
    Scorecard,
    number,
)
from bot.render import escape_mrkdwn

__all__ = [
    "CLIENT_BLOCK",
    "SUBMIT_CALLBACK",
    "TABLE_ROWS",
    "error_blocks",
    "ranking_message",
    "read_submission",
    "result_view",
    "score_modal",
]

SUBMIT_CALLBACK = "keyaccount_score"
CLIENT_BLOCK = CLIENT
SCORE_PREFIX = "score:"
TABLE_ROWS = 99  # a table block holds 100 rows: the heading and 99 clients
_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
Payload = Mapping[str, Any]


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _key_rule(scorecard: Scorecard) -> str:
    return f"the key accounts are the top {scorecard.key_account_count} by weighted total"


def score_modal(scorecard: Scorecard, client: str = "") -> dict[str, Any]:
    """The scoring form: the client's name, then each group's criteria, 1 to 10 each."""
    name: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "name",
        "max_length": NAME_MAX,
        "placeholder": _plain("e.g. Acme Corp"),
    }
    if client:
        name["initial_value"] = client[:NAME_MAX]
    options = [{"text": _plain(str(n)), "value": str(n)} for n in range(SCORE_MIN, SCORE_MAX + 1)]
    blocks: list[dict[str, Any]] = [
        _context(
            f"Score the client from {SCORE_MIN} (low) to {SCORE_MAX} (high) on each criterion; "
            f"each score counts as many times as its weight, and {_key_rule(scorecard)}. "
            f"{escape_mrkdwn(scorecard.note)}"
        ),
        {
            "type": "input",
            "block_id": CLIENT_BLOCK,
            "label": _plain("Client"),
            "element": name,
        },
    ]
    for group, criteria in scorecard.grouped():
        blocks.append({"type": "header", "text": _plain(group.label)})
        blocks.extend(
            {
                "type": "input",
                "block_id": f"{SCORE_PREFIX}{criterion.id}",
                "label": _plain(f"{criterion.label} (weight {number(criterion.weight)})"),
                "element": {
                    "type": "static_select",
                    "action_id": "score",
                    "placeholder": _plain(f"{SCORE_MIN}-{SCORE_MAX}"),
                    "options": options,
                },
            }
            for criterion in criteria
        )
    return {
        "type": "modal",
        "callback_id": SUBMIT_CALLBACK,
        "title": _plain("Score a client"),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def _mapping(value: object) -> Payload:
    return value if isinstance(value, Mapping) else {}


def _value(element: Payload) -> object:
    """What one input element holds: a text input's value or a select's chosen option."""
    if "selected_option" in element:
        return _mapping(element["selected_option"]).get("value")
    return element.get("value")


def read_submission(view: object) -> tuple[object, dict[str, object], dict[str, str]]:
    """From a ``view_submission``'s view: the client's name, the scores by criterion id, and
    the block id each of them came in (where an error about it goes).

    Malformed state (a forged payload) reads as missing values, which the scorecard refuses.
    """
    values = _mapping(_mapping(_mapping(view).get("state")).get("values"))
    client: object = None
    scores: dict[str, object] = {}
    blocks = {CLIENT: CLIENT_BLOCK}
    for block_id, actions in values.items():
        elements = [e for e in _mapping(actions).values() if isinstance(e, Mapping)]
        value = _value(elements[0]) if elements else None
        if block_id == CLIENT_BLOCK:
            client = value
            continue
        criterion = str(block_id).removeprefix(SCORE_PREFIX)
        scores[criterion] = value
        blocks[criterion] = str(block_id)
    return client, scores, blocks


def error_blocks(problems: Mapping[str, str], blocks: Mapping[str, str]) -> dict[str, str]:
    """``response_action: errors``'s map: each problem on the block it is about."""
    return {blocks.get(key, f"{SCORE_PREFIX}{key}"): message for key, message in problems.items()}


def _place(scorecard: Scorecard, standing: Standing) -> str:
    entry = standing.entry
    verdict = "*a key account*" if entry.key_account else "not a key account"
    return (
        f"It ranks *{entry.rank}* of {standing.of} in this workspace: {verdict} "
        f"({_key_rule(scorecard)})."
    )


def result_view(scorecard: Scorecard, standing: Standing) -> dict[str, Any]:
    """What the modal turns into once the scores are saved: the total and the rank."""
    entry = standing.entry
    total = (
        f"*{escape_mrkdwn(entry.client)}*: weighted total *{number(entry.total)}* "
        f"of {number(scorecard.max_total)}."
    )
    return {
        "type": "modal",
        "callback_id": "keyaccount_result",
        "title": _plain("Key account score"),
        "close": _plain("Done"),
        "blocks": [
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"{total}\n{_place(scorecard, standing)}"},
            },
            _context(f"`/keyaccount list` shows the ranking. {escape_mrkdwn(scorecard.note)}"),
        ],
    }


def _cell(text: str) -> dict[str, Any]:
    return {"type": "raw_text", "text": text}


def _scorer(user: str) -> dict[str, Any]:
    if not _SLACK_USER.match(user):
        return _cell(user)
    section = {"type": "rich_text_section", "elements": [{"type": "user", "user_id": user}]}
    return {"type": "rich_text", "elements": [section]}


def _total(entry: Ranked) -> str:
    total = number(entry.total)
    return f"{total} (incomplete)" if entry.missing else total


def ranking_message(scorecard: Scorecard, ranking: Sequence[Ranked]) -> dict[str, Any]:
    """The ranked clients: one table block, and the same as mrkdwn lines for ``text``."""
    if not ranking:
        text = (
            "No client has been scored in this workspace yet: `/keyaccount` opens the form. "
            f"{escape_mrkdwn(scorecard.note)}"
        )
        return {
            "text": text,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        }
    heading = (
        f"*Key accounts* — {len(ranking)} client(s) by weighted total "
        f"(out of {number(scorecard.max_total)}); {_key_rule(scorecard)}."
    )
    notes = [escape_mrkdwn(scorecard.note)]
    if any(entry.missing for entry in ranking):
        notes.insert(0, "_Incomplete_: scored before a criterion was added; score it again.")
    shown = ranking[:TABLE_ROWS]
    if len(ranking) > len(shown):
        notes.insert(0, f"{len(ranking) - len(shown)} more not shown (`rolebot keyaccount list`).")
    rows = [
        [
            _cell("Rank"),
            _cell("Client"),
            _cell("Weighted total"),
            _cell("Key account"),
            _cell("Scored by"),
        ]
    ]
    rows += [
        [
            _cell(str(entry.rank)),
            _cell(entry.client),
            _cell(_total(entry)),
            _cell("★ key account" if entry.key_account else ""),
            _scorer(entry.scored_by),
        ]
        for entry in shown
    ]
    lines = [
        f"{entry.rank}. *{escape_mrkdwn(entry.client)}* — {_total(entry)}"
        + (" — ★ key account" if entry.key_account else "")
        for entry in shown
    ]
    return {
        "text": "\n".join([heading, *lines, *notes]),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": heading}},
            {
                "type": "table",
                "column_settings": [{"align": "right"}, {"is_wrapped": True}, {"align": "right"}],
                "rows": rows,
            },
            _context(" ".join(notes)),
        ],
    }
