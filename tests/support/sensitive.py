"""Answers to every sensitive field of the Mackay 66 schema, each text one a marker of its
own (SECRET-<field key>): what must never show where sensitive answers are left out."""

from __future__ import annotations

from cockpit.profile.schema import FIELDS, FieldType


def every_sensitive_answer() -> dict[str, object]:
    """An answer to every sensitive field of the schema: a marker of its own where the
    field takes text, else a valid value."""
    answers: dict[str, object] = {}
    for key, field in FIELDS.items():
        if not field.sensitive:
            continue
        if field.type is FieldType.YESNO:
            answers[key] = "yes"
        elif field.type is FieldType.CHOICE:
            answers[key] = field.options[-1]
        elif field.type is FieldType.LIST:
            answers[key] = [{column.key: f"SECRET-{key}" for column in field.columns}]
        else:
            answers[key] = f"SECRET-{key}"
    return answers


def secrets() -> list[str]:
    """The markers among those answers."""
    return [v for v in map(str, every_sensitive_answer().values()) if v.startswith("SECRET-")]
