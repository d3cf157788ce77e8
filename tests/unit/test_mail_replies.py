"""The weekly review's replies part (issue 25, point 2): a client's message left without a
reply from you for `reply_within_days` is an item, "Ann Lee wrote on Mon 16 Nov about
"the renewal"; no reply yet (7 days)."; any touch of yours on its day or later answers
it; one item per client; an item answered in a review is not listed again."""

from __future__ import annotations

from datetime import date, timedelta

from cockpit.review.items import PARTS
from cockpit.review.replies import (
    AFTER,
    CAP,
    LOOKBACK_DAYS,
    PART_KEY,
    TITLE,
    Heard,
    waiting_for_reply,
)

TODAY = date(2026, 11, 23)  # a Monday
ANN, BOB = 1, 2


def _ann(days_ago: int, subject: str = "Re: The renewal") -> Heard:
    return Heard(ANN, "Ann Lee", "Acme", TODAY - timedelta(days=days_ago), subject)


def _bob(days_ago: int, subject: str = "Lunch?") -> Heard:
    return Heard(BOB, "Bob Stone", "", TODAY - timedelta(days=days_ago), subject, owner="dana")


def _texts(items) -> list[str]:
    return [item.text for item in items]


def test_a_message_unanswered_for_the_days_allowed_is_an_item():
    (item,) = waiting_for_reply([_ann(7)], {}, TODAY, 3)
    assert item.key == "replies:1:2026-11-16"
    assert (item.part, item.client_id, item.client, item.company) == (
        PART_KEY,
        ANN,
        "Ann Lee",
        "Acme",
    )
    assert item.text == 'Ann Lee wrote on Mon 16 Nov about "The renewal"; no reply yet (7 days).'
    assert item.due == date(2026, 11, 19)  # when the reply was due


def test_not_before_the_days_allowed_have_passed():
    assert waiting_for_reply([_ann(2)], {}, TODAY, 3) == []
    assert len(waiting_for_reply([_ann(3)], {}, TODAY, 3)) == 1
    assert waiting_for_reply([_ann(3)], {}, TODAY, 4) == []


def test_any_touch_of_yours_on_the_day_or_later_answers_it():
    heard = [_ann(7)]
    assert waiting_for_reply(heard, {ANN: TODAY - timedelta(days=7)}, TODAY, 3) == []
    assert waiting_for_reply(heard, {ANN: TODAY - timedelta(days=2)}, TODAY, 3) == []
    assert len(waiting_for_reply(heard, {ANN: TODAY - timedelta(days=8)}, TODAY, 3)) == 1
    assert len(waiting_for_reply(heard, {ANN: None, BOB: TODAY}, TODAY, 3)) == 1


def test_one_item_per_client_naming_each_day_unanswered_since_your_last_touch():
    heard = [_ann(5, "Pricing"), _ann(12), _ann(20, "Old question"), _bob(4)]
    items = waiting_for_reply(heard, {ANN: TODAY - timedelta(days=15)}, TODAY, 3)
    assert [item.key for item in items] == [
        "replies:1:2026-11-11+2026-11-18",
        "replies:2:2026-11-19",
    ]
    assert _texts(items) == [
        'Ann Lee wrote on Wed 11 Nov about "The renewal"; no reply yet (12 days). '
        'Also on Wed 18 Nov about "Pricing".',
        'Bob Stone wrote on Thu 19 Nov about "Lunch?"; no reply yet (4 days).',
    ]
    assert items[1].owner == "dana"


def test_the_longest_waiting_come_first():
    items = waiting_for_reply([_ann(4), _bob(10)], {}, TODAY, 3)
    assert [item.client_id for item in items] == [BOB, ANN]


def test_a_message_without_subject_and_reply_prefixes():
    items = waiting_for_reply([_ann(4, ""), _bob(4, "AW: Fwd: RE[2]: Quote")], {}, TODAY, 3)
    assert _texts(items) == [
        "Ann Lee wrote on Thu 19 Nov (no subject); no reply yet (4 days).",
        'Bob Stone wrote on Thu 19 Nov about "Quote"; no reply yet (4 days).',
    ]


def test_last_year_is_named_and_old_messages_are_not_listed():
    new_year = date(2027, 1, 4)
    heard = [Heard(ANN, "Ann Lee", "", date(2026, 12, 28), "Happy new year")]
    assert _texts(waiting_for_reply(heard, {}, new_year, 3)) == [
        'Ann Lee wrote on Mon 28 Dec 2026 about "Happy new year"; no reply yet (7 days).'
    ]
    assert waiting_for_reply([_ann(LOOKBACK_DAYS + 1)], {}, TODAY, 3) == []
    assert len(waiting_for_reply([_ann(LOOKBACK_DAYS)], {}, TODAY, 3)) == 1


def test_a_day_answered_in_a_review_is_not_listed_again_a_later_message_is():
    answered = ["replies:1:2026-11-16", "unkept:4", "replies:x:bad", "replies:2:notaday"]
    assert waiting_for_reply([_ann(7)], {}, TODAY, 3, answered) == []
    (item,) = waiting_for_reply([_ann(7), _ann(5, "Again")], {}, TODAY, 3, answered)
    assert item.key == "replies:1:2026-11-18"
    assert item.text.startswith('Ann Lee wrote on Wed 18 Nov about "Again"')


def test_two_lines_of_one_day_are_one():
    (item,) = waiting_for_reply([_ann(7, "First"), _ann(7, "Second")], {}, TODAY, 3)
    assert item.key == "replies:1:2026-11-16"
    assert "Also" not in item.text


def test_the_part_goes_in_after_the_unkept_promises():
    keys = [part.key for part in PARTS]
    assert keys[keys.index(AFTER) + 1] == PART_KEY
    part = PARTS[keys.index(PART_KEY)]
    assert (part.title, part.cap, part.about_client) == (TITLE, CAP, False)
