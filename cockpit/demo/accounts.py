"""The demo's accounts: every case an account manager meets, on the book's own people.

- Atlas Engineering is a key account (pinned), with a champion and a decision maker;
- Pinecrest Capital is core and single-threaded: its champion moved on to Solace Hotels a
  month ago, its decision maker is drifting, and its contract renews within 90 days;
- one person at Lumen Retail was typed as "Lumen Retail Ltd.": two spellings to merge;
- every account knows its email domain, and a new contact typed without a company has an
  Atlas Engineering address: suggested for it, not linked.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from cockpit import clock
from cockpit.demo.words import COMPANIES
from cockpit.storage import account_people, accounts, book, renewing_deals

KEY_ACCOUNT = "Atlas Engineering"
AT_RISK = "Pinecrest Capital"
DRIFTING_DECISION_MAKER = "Ben Ueda"
CHAMPION_MOVES_TO = "Solace Hotels"
SPELLED_TWICE = ("Lumen Retail", "Lumen Retail Ltd.")
SUGGESTED = ("Theo Brandt", "theo.brandt@atlas-eng.example", "+1 555 0199")  # no company


def write_accounts(today: date) -> None:
    """Roles, a pin, a move, a renewal and a second spelling, on the demo's people."""
    moment = clock.to_utc(datetime.combine(today, time(8)))
    atlas = accounts.account_named(KEY_ACCOUNT)
    accounts.set_account_details(
        atlas, pinned_key=True, notes="Framework agreement up to 2028.", moment=moment
    )
    champion, decision_maker = _touched_lately(atlas, 2)
    account_people.set_roles(champion, ["champion"], note="runs the rollout")
    account_people.set_roles(decision_maker, ["decision-maker"])

    pinecrest = accounts.account_named(AT_RISK)
    drifting = next(
        row[0] for row in account_people.people_rows(pinecrest) if row[1] == DRIFTING_DECISION_MAKER
    )
    account_people.set_roles(drifting, ["decision-maker", "finance"])
    leaving = _touched_lately(pinecrest, 1, besides=drifting)[0]
    account_people.set_roles(leaving, ["champion"])
    account_people.move_person(
        leaving,
        CHAMPION_MOVES_TO,
        on=today - timedelta(days=30),
        roles=["influencer"],
        moment=moment,
    )
    book.set_renewal(renewing_deals.largest_deal(drifting), today + timedelta(days=47), 12)

    for company, domain in COMPANIES:
        accounts.set_account_details(
            accounts.account_named(company), domains=[domain], moment=moment
        )
    name, email, phone = SUGGESTED
    newcomer = book.add_client(
        name, emails=[email], phones=[phone], lifecycle="prospect", created_at=moment
    )
    called = datetime.combine(today - timedelta(days=6), time(11))
    book.add_interaction(
        newcomer,
        "call",
        when=called,
        created_at=clock.to_utc(called),
        summary="Introduced by the champion; wants a demo for the Lyon plant.",
        duration_min=20,
    )

    kept, other = SPELLED_TWICE
    last_at_lumen = account_people.people_rows(accounts.account_named(kept))[-1][0]
    book.set_profile(last_at_lumen, {"company_name": other}, updated_at=moment)


def _touched_lately(account_id: int, count: int, besides: int | None = None) -> list[int]:
    """The active people with a won deal at an account, touched most lately first."""
    people = [
        (last or date.min, -client_id, client_id)
        for client_id, _name, lifecycle, won, last in account_people.people_rows(account_id)
        if client_id != besides and won is not None and lifecycle == "active"
    ]
    return [client_id for *_, client_id in sorted(people, reverse=True)[:count]]
