"""ClientHealth's one field list: the engine fills it, the cache file keeps it (and misses
when it changes), and `drift --json` shows it."""

from __future__ import annotations

import json
from datetime import date, timedelta
from enum import Enum
from typing import get_args

import pytest

from cockpit import health, health_cache
from cockpit.cli.render import drift as drift_report
from cockpit.health import Health, Tier, engine
from cockpit.storage.database import DatabaseLocation, open_database

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo(demo_path, today):
    health_cache.forget()
    db = open_database(DatabaseLocation(demo_path, "--db"))
    yield db
    db.close()
    health_cache.forget()


def _is_a(value: object, kind: object) -> bool:
    """Whether `value` is of the field type `kind`, strictly: a plain str is not an enum
    member, a bool is not an int (so two fields swapped in the engine's call show)."""
    kinds = set(get_args(kind)) or {kind}
    if float in kinds:
        kinds.add(int)  # as type checkers allow
    return any(
        isinstance(value, expected) if issubclass(expected, Enum) else type(value) is expected
        for expected in kinds
    )


def test_the_engine_fills_every_field_with_a_value_of_its_type(demo):
    # 75 days before, the demo's recovered clients had just been called after their drift.
    verdicts = health.compute(TODAY) + health.compute(TODAY - timedelta(days=75))
    assert {v.health for v in verdicts} == set(Health)
    assert {v.tier for v in verdicts} == set(Tier)
    for verdict in verdicts:
        for name, kind in health.FIELDS:
            value = getattr(verdict, name)
            assert _is_a(value, kind), f"{verdict.name}: {name} = {value!r}, not {kind}"


def _counting_compute(monkeypatch) -> list[date]:
    """The days the whole book's figures were read for."""
    calls: list[date] = []
    read_facts = engine.read_facts

    def counted(as_of, rules, only=None):
        if only is None:
            calls.append(as_of)
        return read_facts(as_of, rules, only)

    monkeypatch.setattr(engine, "read_facts", counted)
    return calls


def test_the_cache_file_gives_back_every_field(demo, monkeypatch):
    computed = health_cache.cached_compute(TODAY)
    health_cache.forget()  # what a new process starts with
    calls = _counting_compute(monkeypatch)
    assert health_cache.cached_compute(TODAY) == computed
    assert calls == []


def test_a_file_written_by_another_layout_is_computed_afresh(demo, monkeypatch):
    computed = health_cache.cached_compute(TODAY)
    health_cache.forget()
    changed = [*health.FIELDS, ("met_at", str)]
    monkeypatch.setattr(health_cache, "_FINGERPRINT", health_cache._fingerprint(changed))
    calls = _counting_compute(monkeypatch)
    assert health_cache.cached_compute(TODAY) == computed
    assert calls == [TODAY]
    health_cache.forget()  # the file now has this layout's verdicts: read, not computed
    assert health_cache.cached_compute(TODAY) == computed
    assert calls == [TODAY]


def _renamed(fields, old: str, new: str):
    return [(new if name == old else name, kind) for name, kind in fields]


def _retyped(fields, name: str, kind: object):
    return [(each, kind if each == name else was) for each, was in fields]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda fields: [*fields, ("met_at", str)], id="added"),
        pytest.param(lambda fields: [f for f in fields if f[0] != "fell_behind"], id="removed"),
        pytest.param(lambda fields: _renamed(fields, "severity", "how_far"), id="renamed"),
        pytest.param(lambda fields: _retyped(fields, "time_minutes", float), id="retyped"),
        pytest.param(lambda fields: [fields[1], fields[0], *fields[2:]], id="reordered"),
    ],
)
def test_any_change_of_the_fields_changes_the_fingerprint(change):
    fingerprint = health_cache._fingerprint
    assert fingerprint(list(health.FIELDS)) == health_cache._FINGERPRINT
    assert fingerprint(change(list(health.FIELDS))) != health_cache._FINGERPRINT


def test_json_shows_every_field_or_leaves_it_out_on_purpose():
    shown = {drift_report.RENAMED.get(key, key) for key in drift_report.KEYS}
    for name, _kind in health.FIELDS:
        assert (name in shown) != (name in drift_report.NOT_SHOWN), name


def _json_before_the_field_list(results) -> str:
    """`drift --json` as it was written field by field, before the one field list."""

    def number(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return json.dumps(
        [
            {
                "id": r.id,
                "client": r.name,
                "company": r.company,
                "lifecycle": r.lifecycle,
                "archived": r.archived,
                "strategic": r.strategic,
                "snoozed_until": day(r.snoozed_until),
                "health": r.health.value,
                "drifting": r.drifting,
                "needs_attention": r.needs_attention,
                "tier": r.tier.value,
                "won_on": day(r.won_on),
                "honeymoon_end": day(r.honeymoon_end),
                "last_touch": day(r.last_touch),
                "days_since_last_touch": r.days_since_last_touch,
                "honeymoon_interval": number(r.honeymoon_interval),
                "current_interval": number(r.current_interval),
                "plan_interval": number(r.plan_interval),
                "plan_source": r.plan_source,
                "in_honeymoon": r.in_honeymoon,  # added with issue 18's rules
                "severity": number(r.severity),
                "stake": r.stake.value,
                "stake_share": number(r.stake_share),
                "revenue": str(r.revenue),
                "revenue_share": number(r.revenue_share),
                "time_minutes": r.time_minutes,
                "time_share": number(r.time_share),
                "give_ratio": number(r.give_ratio),
                "referral_ask_due": r.referral_ask_due,
                "explanation": r.explanation,
                "tier_explanation": r.tier_explanation,
                "give_explanation": r.give_explanation,
            }
            for r in results
        ],
        ensure_ascii=False,
        indent=2,
    )


@pytest.mark.parametrize("as_of", [TODAY, date(2026, 3, 1)])
def test_json_is_as_before_the_field_list(demo, as_of):
    results = sorted(health.compute(as_of), key=health.attention_order)
    assert drift_report.as_json(results) == _json_before_the_field_list(results)
