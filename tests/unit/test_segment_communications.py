"""Communications to a segment (issue 23, point 3): a tier, an account or a tag; marking one
sent logs a touch of its kind (a give) on every recipient left ticked, each timeline shows
it, and one step takes it all back; the capacity check counts them; on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from cockpit import capacity, client_view, segments
from cockpit.errors import ValidationError
from cockpit.health_cache import cached_compute
from cockpit.storage import accounts, tags
from cockpit.storage import segment_communications as stored
from cockpit.storage.models import Client, Interaction, SegmentCommunication
from cockpit.storage.segment_communications import Segment
from tests.support.histories import TODAY, History, every, make


@pytest.fixture
def db(db_on_both, today):
    return db_on_both


@pytest.fixture
def clients(db):
    """Cora and Carl are core; Otto other, Pete peripheral; Ann and Abe work at Acme; Gil
    and Greta play golf, Fay too but she is a former client, Arch is archived."""
    made = {
        "cora": make("Cora Core", History(touches=every(10, 300), deals=[(200, 90_000)])),
        "carl": make("Carl Core", History(touches=every(12, 300), deals=[(100, 80_000)])),
        "otto": make("Otto Other", History(touches=every(20, 330), deals=[(100, 9_000)])),
        "pete": make("Pete Peri", History(touches=every(3, 360), deals=[(300, 500)], minutes=90)),
        "ann": make(
            "Ann Acme", History(touches=every(15, 200), deals=[(90, 5_000)], company="Acme")
        ),
        "abe": make(
            "Abe Acme", History(touches=every(25, 200), deals=[(90, 1_000)], company="Acme")
        ),
        "gil": make("Gil Golf", History(touches=every(30, 200), deals=[(90, 2_000)])),
        "greta": make("Greta Golf", History(touches=every(30, 200), deals=[(90, 2_000)])),
        "fay": make("Fay Former", History(touches=[40], deals=[(90, 900)], lifecycle="former")),
        "arch": make("Arch Archived", History(touches=[40], deals=[(90, 900)])),
    }
    for who in ("gil", "greta", "fay", "arch"):
        tags.set_tags(made[who].id, ["Golf"])
    Client.update(archived=True).where(Client.id == made["arch"].id).execute()
    return {name: client.id for name, client in made.items()}


def _names(found) -> list[str]:
    return [recipient.name for recipient in found]


def _tiers() -> dict[str, str]:
    return {v.name: v.tier.value for v in cached_compute(TODAY)}


def test_the_to_field_names_a_tier_an_account_or_a_tag(clients):
    assert segments.read_segment(" Core ") == Segment(tier="core")
    acme = segments.read_segment("@acme")
    assert (acme.account_name, acme.label) == ("Acme", "everyone at Acme")
    golf = segments.read_segment("#GOLF")
    assert (golf.tag, golf.label, golf.typed) == ("Golf", "every client tagged #Golf", "#Golf")
    for typed, said in (
        ("", "who is it for?"),
        ("@Initech", "there is no account named 'Initech'"),
        ("#chess", "no client carries the tag #chess"),
        ("#", "type the tag after #"),
        ("vips", "'vips' is no segment"),
    ):
        with pytest.raises(ValidationError, match=said):
            segments.read_segment(typed)


def _communication(segment: Segment, kind: str = "email") -> stored.Communication:
    made = stored.add_communication(
        "Quarterly market update", 3, "months", TODAY, segment, kind=kind
    )
    return stored.communication(made)


def test_the_recipients_are_the_segment_today_never_former_or_archived(clients):
    tier = _tiers()
    core = sorted(name for name, t in tier.items() if t == "core" and name != "Arch Archived")
    core = [name for name in core if name != "Fay Former"]
    found = segments.recipients(_communication(Segment(tier="core")), TODAY, None)
    assert sorted(_names(found)) == core and "Cora Core" in core
    acme = segments.read_segment("@Acme")
    assert _names(segments.recipients(_communication(acme), TODAY, None)) == [
        "Abe Acme",
        "Ann Acme",
    ]
    golf = segments.read_segment("#golf")
    assert _names(segments.recipients(_communication(golf), TODAY, None)) == [
        "Gil Golf",
        "Greta Golf",
    ]
    only_gil = {clients["gil"]}
    assert _names(segments.recipients(_communication(golf), TODAY, only_gil)) == ["Gil Golf"]


def test_marking_sent_logs_a_give_on_each_ticked_recipient_and_undo_takes_all_back(clients):
    golf = _communication(segments.read_segment("#golf"), kind="handwritten-note")
    ticked = [clients["gil"], clients["greta"]]
    before = Interaction.select().count()
    sent = stored.mark_sent(golf.id, ticked, TODAY)
    touches = list(Interaction.select().where(Interaction.id.in_(list(sent.touch_ids))))
    assert sorted(t.client_id for t in touches) == sorted(ticked)
    assert {(t.kind, t.intent, t.summary, t.day) for t in touches} == {
        ("handwritten-note", "relationship", "Quarterly market update", TODAY)
    }
    for client_id in ticked:  # each timeline shows it, the last touch is today
        timeline = client_view.timeline(client_id)
        assert timeline[0].summary == "Quarterly market update"
        assert Client.get_by_id(client_id).last_touch_on == TODAY
    assert stored.communication(golf.id).next_due == date(2027, 2, 23)
    assert stored.take_back(sent) == 2
    assert Interaction.select().count() == before
    assert stored.communication(golf.id).next_due == TODAY
    assert Client.get_by_id(clients["gil"]).last_touch_on != TODAY


def test_an_exception_unticked_gets_no_touch_and_nobody_ticked_is_refused(clients):
    acme = _communication(segments.read_segment("@Acme"))
    sent = stored.mark_sent(acme.id, [clients["ann"]], TODAY)
    assert [
        t.client_id for t in Interaction.select().where(Interaction.id.in_(list(sent.touch_ids)))
    ] == [clients["ann"]]
    with pytest.raises(ValidationError, match="nobody is ticked"):
        stored.mark_sent(acme.id, [], TODAY)
    stored.delete_communication(acme.id)
    with pytest.raises(ValidationError, match="no longer exists"):
        stored.mark_sent(acme.id, [clients["ann"]], TODAY)


def test_the_capacity_check_counts_each_recipients_touches(clients):
    before = capacity.demand(TODAY, None).source_minutes("planned")
    _communication(segments.read_segment("#golf"), kind="gift")  # 20 minutes, every quarter
    after = capacity.demand(TODAY, None).source_minutes("planned")
    assert after - before == pytest.approx(2 * 7 / (3 * 365.25 / 12) * 20)


def test_an_account_with_a_communication_is_never_pruned(clients):
    acme = accounts.account_named("Acme")
    _communication(segments.read_segment("@Acme"))
    Client.update(account=None).where(Client.account == acme).execute()
    assert accounts.prune_accounts([acme]) == 0
    assert SegmentCommunication.select().count() == 1


def test_a_bad_communication_is_refused_and_nothing_stored(clients):
    with pytest.raises(ValidationError):
        stored.add_communication(" ", 3, "months", TODAY, Segment(tier="core"))
    with pytest.raises(ValidationError, match="one tier, one account or one tag"):
        stored.add_communication("x", 3, "months", TODAY, Segment())
    with pytest.raises(ValidationError, match="no tier"):
        stored.add_communication("x", 3, "months", TODAY, Segment(tier="vip"))
    assert SegmentCommunication.select().count() == 0
