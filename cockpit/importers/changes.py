"""What merging a contact changed of a client, in words for the import's report:
"company, birth date filled; email ann@x.com added; tags golf, board added; children added;
note added"."""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.storage.import_matching import MatchedClient

LIST_FIELDS = ("children", "hobbies")  # profile lists a contact adds rows to


@dataclass(frozen=True)
class ClientChanges:
    client: MatchedClient  # as it was
    columns: dict[str, str]  # name, company, title -> the new value
    emails: list[str]  # added
    phones: list[str]  # added
    answers: dict  # the profile answers as they were
    profile: dict  # field -> the new answer (text, or all the rows of a list)
    note: bool  # an address-book note added
    tags: list[str]  # added

    def describe(self) -> str:
        filled: list[str] = []
        replaced: list[str] = []
        for column in self.columns:
            (replaced if getattr(self.client, column) else filled).append(column)
        added = []
        for field_key, value in self.profile.items():
            old = self.answers.get(field_key)
            if field_key in LIST_FIELDS:
                added.append(_list_added(field_key, old or [], value))
            else:
                (replaced if old else filled).append(field_key.replace("_", " "))
        parts = [f"{', '.join(filled)} filled"] if filled else []
        if replaced:
            parts.append(f"{', '.join(replaced)} replaced")
        for what, values in (("email", self.emails), ("phone", self.phones), ("tag", self.tags)):
            if values:
                plural = "s" if len(values) > 1 else ""
                parts.append(f"{what}{plural} {', '.join(values)} added")
        parts += added
        if self.note:
            parts.append("note added")
        return "; ".join(parts)


def _list_added(field_key: str, old: list[dict], new: list[dict]) -> str:
    if field_key == "children" and len(new) == len(old):
        return "children's birthdays added"
    return f"{field_key} added"
