"""A client with something in every section of the pre-call brief (issue 22)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from cockpit.storage import account_people, book
from tests.support.histories import TODAY, History, ago, every, make


def build_brief_book():
    """Ann Park: core and drifting at Brightline, a renewal coming, a follow-up open, a
    child's birthday in 5 days, interests, goals and two subjects never to raise; Bo Lee,
    Brightline's champion. Returns Ann."""
    ann = make(
        "Ann Park",
        History(
            deals=[(300, 90_000)], touches=[*every(10, 290, 120), 80, 75], company="Brightline"
        ),
    )
    account_people.set_roles(ann.id, ["decision-maker"], note="signs off IT")
    book.add_deal(ann, "48000", won_on=ago(330), renews_on=ago(-40))
    book.add_interaction(
        ann,
        "call",
        when=datetime.combine(ago(70), time(10)),
        summary="Asked about [bold]pricing[/]\nsecond line",
        follow_up_on=ago(2),
    )
    bo = make("Bo Lee", History(deals=[(200, 2_000)], touches=[5], company="Brightline"))
    account_people.set_roles(bo.id, ["champion"])
    birthday = (TODAY + timedelta(days=5)).replace(year=2018)
    book.set_profile(
        ann,
        {
            "hobbies": [{"value": "sailing"}, {"value": "jazz"}],
            "spectator_sports": [{"value": "Boston Celtics"}],
            "children": [{"name": "Mia", "birthday": birthday.isoformat()}, {"name": "Leo"}],
            "business_goal_now": "Cut costs by 10%",
            "key_problems": "Their ERP rollout is late",
            "favourite_restaurants": [{"value": "Chez Lou"}],
            "confidential_subjects": "The lawsuit",
            "health": "Knee surgery",
        },
    )
    return ann
