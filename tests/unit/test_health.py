"""The health engine on synthetic histories: every status and edge case the rules name."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from cockpit import health
from cockpit.health import Health, Tier
from cockpit.storage import book
from tests.support.histories import TODAY, History, ago, every, judge, make


@pytest.fixture
def db(db_on_both):
    """These tests hold on SQLite and on PostgreSQL alike."""
    return db_on_both


HONEYMOON_WEEKLY = every(7, 400, 310)  # won 400 days ago, a touch a week for 90 days
WON_400 = [(400, 10_000)]

MONTHLY_JITTERED = [300, 268, 241, 210, 183, 150, 122, 90, 62, 38, 10]  # gaps of 22 to 33 days

STATUS_CASES = {
    "brand-new client": (
        History(deals=[(10, 5_000)], touches=[9, 3]),
        Health.HONEYMOON,
        "In the honeymoon until 11 Feb 2027 (won 13 Nov 2026); 2 touch days so far; "
        "last touch 3 days ago.",
    ),
    "four discovery meetings, no deal": (
        History(touches=[60, 40, 20, 5]),
        Health.PROSPECT,
        "No won deal yet; last touch 5 days ago.",
    ),
    "one touch, long ago": (
        History(deals=WON_400, touches=[390]),
        Health.LAPSED,
        "No touch for 390 days: win back or let go.",
    ),
    "back in touch after a lapse": (
        History(deals=WON_400, touches=[395, 20]),
        Health.RECOVERING,
        "Back in touch 20 days ago after 375 days without one; recovering until 2 Jan 2027, "
        "then judged afresh.",
    ),
    "two touches, no baseline, within its cadence": (
        History(deals=WON_400, touches=[395, 60, 20]),
        Health.STEADY,
        "Every 45 days lately; the cadence is every 60 days; last touch 20 days ago. "
        "Too few touches in the honeymoon to compare with.",
    ),
    "steady": (
        History(deals=WON_400, touches=HONEYMOON_WEEKLY + every(10, 305, 2)),
        Health.STEADY,
        "Every 10 days lately; the cadence is every 60 days; last touch 5 days ago.",
    ),
    "weekly onboarding then monthly calls": (
        History(deals=[*WON_400, (200, 5_000)], touches=HONEYMOON_WEEKLY + MONTHLY_JITTERED),
        Health.STEADY,
        "Every 30 days lately; the cadence is every 30 days; last touch 10 days ago.",
    ),
    "weekly onboarding then gaps of 2 to 4 months": (
        History(deals=[*WON_400, (200, 5_000)], touches=[*HONEYMOON_WEEKLY, 250, 150, 100]),
        Health.DRIFTING,
        "100% of your revenue. Was every 7 days in the first 90 days after winning; "
        "no touch for 100 days now; the cadence is every 30 days.",
    ),
    "classic drift": (
        History(deals=WON_400, touches=HONEYMOON_WEEKLY + every(10, 305, 100)),
        Health.DRIFTING,
        "100% of your revenue. Was every 7 days in the first 90 days after winning; "
        "no touch for 105 days now; the cadence is every 60 days.",
    ),
    "drift right after the honeymoon": (
        History(deals=[(130, 10_000)], touches=every(6, 130, 40)),
        Health.DRIFTING,
        "100% of your revenue. Was every 6 days in the first 90 days after winning; "
        "no touch for 46 days now; the cadence is every 30 days.",
    ),
    "won 60 days ago, silent for 5 weeks": (
        History(deals=[(60, 5_000)], touches=[59, 52, 45, 35]),
        Health.DRIFTING,
        "100% of your revenue. Won 24 Sep 2026; no touch for 35 days of the honeymoon "
        "(drifting after 24).",
    ),
    "drift, then recovery, then steady again": (
        History(deals=WON_400, touches=HONEYMOON_WEEKLY + every(10, 305, 200) + every(10, 85, 0)),
        Health.STEADY,
        "Every 10 days lately; the cadence is every 60 days; last touch 5 days ago.",
    ),
    "eased to a healthy cadence within its own": (
        History(deals=WON_400, touches=HONEYMOON_WEEKLY + every(12, 305, 0), keep=30),
        Health.STEADY,
        "Every 11 days lately; the cadence is every 30 days; last touch 5 days ago.",
    ),
    "second won deal does not restart the honeymoon": (
        History(deals=[*WON_400, (20, 30_000)], touches=HONEYMOON_WEEKLY + every(10, 305, 80)),
        Health.DRIFTING,
        "100% of your revenue. Was every 7 days in the first 90 days after winning; "
        "no touch for 85 days now; the cadence is every 30 days.",
    ),
    "client since, no deal": (
        History(since=300, touches=every(20, 290, 0)),
        Health.STEADY,
        "Every 23 days lately; the cadence is every 60 days; last touch 10 days ago.",
    ),
    "never touched since winning": (
        History(deals=[(200, 8_000)]),
        Health.DRIFTING,
        "100% of your revenue. No touch since winning 7 May 2026, 200 days ago; "
        "the cadence is every 30 days.",
    ),
}


@pytest.mark.parametrize("case", list(STATUS_CASES))
def test_each_status_with_its_explanation(db, today, case):
    history, status, explanation = STATUS_CASES[case]
    result = judge({"Ann": history})["Ann"]
    assert result.health is status
    assert result.drifting is (status is Health.DRIFTING)
    assert result.explanation == explanation


def test_the_numbers_behind_a_drift(db, today):
    r = judge({"Ann": History(deals=WON_400, touches=HONEYMOON_WEEKLY + every(10, 305, 100))})[
        "Ann"
    ]
    assert r.won_on == ago(400)
    assert r.honeymoon_end == ago(310)
    assert r.honeymoon_touch_days == 13
    assert r.honeymoon_interval == pytest.approx(90 / 13)
    assert r.days_since_last_touch == 105
    assert r.current_interval == 105  # no touch in the last 90 days: the gap itself
    assert r.plan_interval == 60  # no revenue in the last year: the cadence of "other"
    assert r.plan_source == "tier default"
    assert r.silence_limit == pytest.approx(1.25 * 60)
    assert r.severity == pytest.approx(105 / 75)
    assert not r.in_honeymoon and r.fell_behind


def test_several_touches_on_a_recent_day_count_once_for_cadence_but_each_for_give(db, today):
    touches = [60, 60, 60, 30]
    r = judge({"Ann": History(deals=WON_400, touches=touches, sales={60})})["Ann"]
    assert r.current_interval == 45  # two touch days in 90 days
    assert r.recent_touches == 4
    assert r.give_ratio == pytest.approx(0.25)  # the three on day 60 were all asks


def test_several_touches_on_one_day_count_once(db, today):
    r = judge({"Ann": History(deals=[(120, 1_000)], touches=[119, 119, 119, 100, 5])})["Ann"]
    assert r.honeymoon_touch_days == 2
    assert r.honeymoon_interval is None  # fewer than three touch days: no baseline
    assert r.recent_touches == 1  # 119 and 100 are outside the 90 days; 5 is in


def test_internal_notes_are_not_touches(db, today):
    r = judge({"Ann": History(deals=WON_400, touches=[395, 390, 385, 200], notes=[3, 2])})["Ann"]
    assert r.last_touch == ago(200)
    assert r.previous_touch == ago(385)
    assert r.health is Health.DRIFTING
    assert r.recent_touches == 0


@pytest.mark.parametrize(
    ("snoozed_for", "attention"), [(None, True), (10, False), (0, True), (-5, True)]
)
def test_snoozed_clients_leave_the_attention_list_until_the_date(db, today, snoozed_for, attention):
    history = History(deals=WON_400, touches=HONEYMOON_WEEKLY, snoozed_for=snoozed_for)
    steady = History(
        deals=WON_400, touches=HONEYMOON_WEEKLY + every(10, 305, 2), snoozed_for=snoozed_for
    )
    results = judge({"Ann": history, "Bob": steady})
    assert results["Ann"].health is Health.DRIFTING
    assert results["Ann"].needs_attention is attention
    assert results["Bob"].referral_ask_due is attention  # a snoozed client is not asked either


def test_former_and_archived_clients_are_scored_but_never_listed(db, today):
    recent_deal = [*WON_400, (30, 50_000)]
    judge(
        {
            "Gone": History(deals=recent_deal, touches=HONEYMOON_WEEKLY, lifecycle="former"),
            "Active": History(deals=[*WON_400, (30, 1_000)], touches=HONEYMOON_WEEKLY),
        }
    )
    archived = make("Archived", History(deals=recent_deal, touches=HONEYMOON_WEEKLY))
    archived.archived = True
    archived.save()
    results = {r.name: r for r in health.compute(TODAY)}
    for name in ("Gone", "Archived"):
        assert results[name].health is Health.DRIFTING
        assert not results[name].needs_attention
        assert not results[name].referral_ask_due
        assert results[name].tier is Tier.OTHER  # not weighed in the 80/20 split
        assert results[name].revenue_share == 0
    assert results["Gone"].tier_explanation == "Not weighed in the 80/20 split: a former client."
    assert results["Active"].tier is Tier.CORE and results["Active"].revenue_share == 1
    assert [r.name for r in health.needing_attention(list(results.values()))] == ["Active"]
    everyone = [r.name for r in sorted(results.values(), key=health.attention_order)]
    assert everyone[0] == "Active"


def test_touches_after_the_as_of_date_are_ignored(db, today):
    histories = {
        "Ann": History(deals=WON_400, touches=HONEYMOON_WEEKLY + every(10, 305, 100) + [2]),
        "Bob": History(deals=[(100, 5_000)], touches=[99, 95, 30, 1]),
    }
    earlier = TODAY - timedelta(days=50)
    results = judge(histories, as_of=earlier)
    assert results["Ann"].last_touch == ago(105)
    assert results["Ann"].days_since_last_touch == 55
    assert results["Bob"].health is Health.DRIFTING  # 45 days of silence in its honeymoon
    assert results["Bob"].in_honeymoon
    assert results["Bob"].honeymoon_touch_days == 2  # 30 and 1 days ago had not happened yet
    later = {r.name: r for r in health.compute(TODAY)}
    assert later["Ann"].last_touch == ago(2)
    assert later["Bob"].honeymoon_touch_days == 3  # 99, 95 and 30; 1 day ago is after it


def test_a_client_won_after_the_as_of_date_is_still_a_prospect_then(db, today):
    results = judge({"Ann": History(deals=[(10, 5_000)], touches=[40, 9])}, as_of=ago(20))
    assert results["Ann"].health is Health.PROSPECT


def _revenues(amounts: dict[str, int]) -> dict[str, health.ClientHealth]:
    return judge(
        {name: History(deals=[(30, amount)], touches=[29, 5]) for name, amount in amounts.items()}
    )


@pytest.mark.parametrize(
    ("amounts", "core"),
    [
        ({"A": 50, "B": 30, "C": 10, "D": 10}, {"A", "B"}),  # B crosses 80%: core too
        ({"A": 60, "B": 20, "C": 20}, {"A", "B", "C"}),  # C ties with B at the cut
        ({"A": 40, "B": 40, "C": 20}, {"A", "B"}),
        ({"A": 90, "B": 5, "C": 5}, {"A"}),
        ({"Solo": 1_000}, {"Solo"}),
    ],
)
def test_the_80_percent_cut(db, today, amounts, core):
    results = _revenues(amounts)
    assert {name for name, r in results.items() if r.tier is Tier.CORE} == core


def test_with_no_revenue_at_all_there_is_no_core_tier(db, today):
    results = judge({name: History(since=200, touches=[150, 40, 3]) for name in "ABC"})
    assert {r.tier for r in results.values()} == {Tier.OTHER}
    assert all(r.revenue_share == 0 for r in results.values())


def test_peripheral_means_much_time_for_little_revenue(db, today):
    histories = {
        "Big": History(deals=[(100, 100_000)], touches=every(9, 99, 0), minutes=30),
        "Mid": History(deals=[(100, 20_000)], touches=every(12, 99, 0), minutes=20),
        "Small": History(deals=[(100, 5_000)], touches=every(15, 99, 0), minutes=15),
        "Sink": History(
            deals=[(100, 1_000)], touches=every(60, 299, 0), minutes=240, keep=90, since=300
        ),
        "Unpaid": History(since=300, touches=every(30, 299, 0), minutes=60),
    }
    results = judge(histories)
    assert results["Sink"].tier is Tier.PERIPHERAL
    assert results["Sink"].health is Health.STEADY  # quiet by design: within its 90-day plan
    assert results["Unpaid"].tier is Tier.PERIPHERAL  # time but no revenue at all
    assert results["Big"].tier is Tier.CORE
    assert results["Small"].tier is Tier.OTHER
    sink = results["Sink"]
    assert sink.time_share > 0.4 and sink.revenue_share < 0.01
    assert sink.tier_explanation == (
        f"Under 1% of your revenue, {sink.time_share:.0%} of your time."
    )


def test_give_ratio_and_its_explanation(db, today):
    touches = every(8, 80, 0)  # ten touches in the last 90 days
    r = judge({"Ann": History(deals=WON_400, touches=touches, sales=set(touches[:7]))})["Ann"]
    assert r.recent_touches == 10
    assert r.give_ratio == pytest.approx(0.3)
    assert r.give_explanation == "7 of your 10 touches in the last 90 days were asks."
    balanced = judge({"Bob": History(deals=WON_400, touches=touches, sales=set(touches[:5]))})
    assert balanced["Bob"].give_explanation is None


def test_referral_asks_are_due_for_healthy_won_relationships_only(db, today):
    steady = HONEYMOON_WEEKLY + every(10, 305, 2)
    results = judge(
        {
            "Steady": History(deals=WON_400, touches=steady),
            "Drifting": History(deals=WON_400, touches=HONEYMOON_WEEKLY),
            "Prospect": History(touches=[10, 5]),
            "Asked": History(deals=WON_400, touches=steady),
            "Asked long ago": History(deals=WON_400, touches=steady),
        }
    )
    book.add_interaction(results["Asked"].id, "referral-asked", when=datetime(2026, 9, 1, 10))
    book.add_interaction(
        results["Asked long ago"].id, "referral-asked", when=datetime(2026, 5, 1, 10)
    )
    results = {r.name: r for r in health.compute(TODAY)}
    assert results["Steady"].referral_ask_due
    assert not results["Drifting"].referral_ask_due
    assert not results["Prospect"].referral_ask_due
    assert not results["Asked"].referral_ask_due  # asked 83 days ago
    assert results["Asked long ago"].referral_ask_due  # 206 days ago


def test_attention_order_puts_what_is_at_stake_first(db, today):
    quiet = HONEYMOON_WEEKLY + every(10, 305, 100)  # 105 days without a touch
    far = HONEYMOON_WEEKLY  # 310 days without one
    results = judge(
        {
            "Big, a bit behind": History(deals=[(400, 1_000), (100, 60_000)], touches=quiet),
            "Mid, far behind": History(deals=[(400, 1_000), (100, 5_000)], touches=far),
            "Mid, a bit behind": History(deals=[(400, 1_000), (100, 5_000)], touches=quiet),
            "Small, far behind": History(deals=[(400, 100), (100, 100)], touches=far),
            "Pinned": History(deals=[(400, 100)], touches=far, strategic=True),
            "Fine": History(
                deals=[(400, 1_000), (100, 1_000)], touches=HONEYMOON_WEEKLY + every(10, 305, 2)
            ),
        }
    )
    assert results["Pinned"].tier is not Tier.CORE and results["Pinned"].counts_as_core
    assert results["Pinned"].plan_interval == 30  # a strategic client has the core cadence
    assert results["Big, a bit behind"].stake is health.Stake.HIGH
    assert results["Mid, far behind"].stake is health.Stake.SOME
    assert results["Small, far behind"].stake is health.Stake.LOW
    order = [r.name for r in health.needing_attention(list(results.values()))]
    assert order == [
        "Pinned",  # a strategic pin is a big stake: the furthest behind of them first
        "Big, a bit behind",
        "Mid, far behind",
        "Mid, a bit behind",
        "Small, far behind",
    ]
    assert results["Big, a bit behind"].explanation.startswith("81% of your revenue. ")
    assert results["Pinned"].explanation.startswith("Pinned as strategic. ")


def test_a_cadence_set_by_the_user_overrides_the_tiers(db, today):
    touches = HONEYMOON_WEEKLY + every(25, 305, 40)  # the last 55 days ago
    results = judge(
        {
            "Tier's": History(deals=WON_400, touches=touches),
            "Set": History(deals=WON_400, touches=touches, keep=30),
        }
    )
    assert results["Tier's"].health is Health.STEADY  # within 1.25 x 60 days
    assert results["Tier's"].plan_source == "tier default"
    assert results["Set"].health is Health.DRIFTING  # beyond 1.25 x 30 days
    assert results["Set"].plan_source == "set"


def test_thresholds_come_from_the_settings(db, today, write_config):
    write_config("[health]\nhoneymoon_days = 30\nplan_core_days = 200\n")
    r = judge({"Ann": History(deals=[(40, 5_000)], touches=[39, 35])})["Ann"]
    assert r.health is Health.STEADY  # out of a 30-day honeymoon, within a long plan
    assert r.honeymoon_end == ago(10)
