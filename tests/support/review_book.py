"""A small book whose weekly review on 2026-11-23 has something in every part."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from cockpit.storage import book

TODAY = date(2026, 11, 23)


def _at(days_ago: int, hour: int = 10) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), time(hour))


def _won_client(name, company, *, revenue, quiet_since=None, intent=None, minutes=None):
    """Won 400 days ago, weekly in the honeymoon, then every 10 days until `quiet_since`."""
    client = book.add_client(name, company)
    book.add_deal(client, 1_000, won_on=TODAY - timedelta(days=400))
    book.add_deal(client, revenue, won_on=TODAY - timedelta(days=100))
    for days_ago in [*range(400, 310, -7), *range(305, quiet_since or 2, -10)]:
        book.add_interaction(
            client, "call", when=_at(days_ago), intent=intent, duration_min=minutes
        )
    return client


def build_review_book() -> dict[str, int]:
    """The clients by short name."""
    core = _won_client("Cora Core", "Big Inc", revenue=500_000, quiet_since=100)
    other = _won_client("Otto Other", "Mid Co", revenue=3_000, quiet_since=150)
    steady = _won_client("Stella Steady", "Fine Ltd", revenue=20_000)
    asker = _won_client("Ada Asker", "Pushy Co", revenue=20_000, intent="sales")
    busy = _won_client("Pete Peripheral", "Tiny Co", revenue=10, minutes=180)
    book.set_archived(_won_client("Arch Ived", "Gone Co", revenue=50_000, quiet_since=100), True)
    giver = _won_client("Rita Referral", "Warm Co", revenue=20_000, intent="relationship")
    lapsed = book.add_client("Lou Lapsed", "Old Co")  # one small deal, silent for 500 days
    book.add_deal(lapsed, 2_000, won_on=TODAY - timedelta(days=800))
    for days_ago in range(800, 495, -30):
        book.add_interaction(lapsed, "call", when=_at(days_ago))
    # Follow-ups: one overdue, one due this week, one later, one done.
    book.add_interaction(
        steady,
        "email",
        when=_at(10),
        summary="Promised the case study",
        follow_up_on=date(2026, 11, 20),
    )
    book.add_interaction(
        steady, "meeting", when=_at(5), summary="Pricing talk", follow_up_on=date(2026, 11, 27)
    )
    book.add_interaction(steady, "call", when=_at(4), follow_up_on=date(2026, 12, 10))
    done = book.add_interaction(steady, "call", when=_at(3), follow_up_on=date(2026, 11, 22))
    book.set_follow_up_done(done.id)
    # Occasions: within 14 days (with and without a year), and beyond.
    book.set_profile(
        steady,
        {
            "birth_date": "1970-11-25",
            "children": [{"name": "Mia", "birthday": "2020-12-01"}],
            "wedding_anniversary": "--12-24",
            "religion": "Secret Faith",  # sensitive: never in the review
        },
    )
    book.set_profile(core, {"birth_date": "--11-23"})
    # Plans: one overdue, one later.
    book.add_plan(steady, "Quarterly market update", 3, "months", date(2026, 11, 20))
    book.add_plan(core, "Annual review", 12, "months", date(2027, 1, 15))
    return {
        "core": core.id,
        "other": other.id,
        "steady": steady.id,
        "asker": asker.id,
        "busy": busy.id,
        "giver": giver.id,
        "lapsed": lapsed.id,
    }


# The weekly review of that book on TODAY, part by part: (client, text) of each item.
# TODAY is not in the first week of a month, and no review began this month before it:
# the lapsed client (Lou Lapsed) waits for the first review of December.
EXPECTED = {
    "unkept": [],
    "replies": [],
    "drifting-high": [
        (
            "Cora Core",
            "88% of your revenue. Was every 7 days in the first 90 days after winning; no touch "
            "for 105 days now; the cadence is every 30 days.",
        )
    ],
    "renewals": [],
    "plan-actions": [],
    "plan-reviews": [],
    "drifting-other": [
        (
            "Otto Other",
            "Was every 7 days in the first 90 days after winning; no touch for 155 days now; "
            "the cadence is every 90 days.",
        ),
    ],
    "follow-ups": [
        (
            "Stella Steady",
            "Overdue since Fri 20 Nov (3 days ago); from the email of Fri 13 Nov: "
            "Promised the case study. Also due Fri 27 Nov; from the meeting of Wed 18 Nov: "
            "Pricing talk",
        ),
    ],
    "plans": [
        (
            "Stella Steady",
            "Quarterly market update (every 3 months), overdue since Fri 20 Nov (3 days ago)",
        )
    ],
    "occasions": [
        ("Cora Core", "Birthday today"),
        (
            "Stella Steady",
            "56th birthday on Wed 25 Nov (in 2 days); Mia's 6th birthday on Tue 1 Dec (in 8 days)",
        ),
    ],
    "give-ask": [("Ada Asker", "9 of your 9 touches in the last 90 days were asks.")],
    "referrals": [
        (
            "Rita Referral",
            "Steady, and 9 of your 9 touches in the last 90 days were gives; no referral "
            "asked in 180 days.",
        ),
        (
            "Stella Steady",
            "Steady, and 13 of your 13 touches in the last 90 days were gives; no referral "
            "asked in 180 days.",
        ),
    ],
    "eating": [("Pete Peripheral", "Under 1% of your revenue, 73% of your time.")],
    "lapsed": [],
}


def by_part(agenda) -> dict[str, list[tuple[str, str]]]:
    return {part.key: [(i.client, i.text) for i in part.items] for part in agenda.parts}
