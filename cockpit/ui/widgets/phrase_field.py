"""A text field read as a phrase (a date, a moment, an interval), with a line under it that
says what the phrase means as it is typed, or what is wrong with it."""

from __future__ import annotations

from textual.widgets import Input, Static

from cockpit.errors import ValidationError
from cockpit.text import safe_text


class Meaning(Static):
    """The line under a phrase field."""

    DEFAULT_CSS = """
    Meaning {
        color: $text-muted;
        height: auto;
    }
    Meaning.bad {
        color: $error;
    }
    Meaning.empty {
        display: none;
    }
    """


class PhraseField(Input):
    """`parse(text)` reads what was typed (raising ValidationError), `meaning(value)` says
    it in words. The line under the field is `self.preview`: compose yields it after the
    field, where it should show. `named`: the preview starts with the field's label, for
    previews shown together away from their fields."""

    def __init__(
        self,
        value: str = "",
        *,
        label: str,
        placeholder: str = "",
        named: bool = False,
        id: str | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(value, placeholder=placeholder, id=id, compact=compact)
        self.label = label
        self.named = named
        self.preview = Meaning("", classes="empty")

    def parse(self, text: str) -> object:
        raise NotImplementedError

    def meaning(self, value: object) -> str:
        raise NotImplementedError

    def read(self) -> object | None:
        """What the field holds, None when it is empty; a ValidationError names the field."""
        if not self.value.strip():
            return None
        try:
            return self.parse(self.value)
        except ValidationError as error:
            raise ValidationError(f"{self.label}: {error.message}") from None

    def on_mount(self) -> None:
        self.explain()

    def watch_value(self) -> None:
        if self.is_mounted:
            self.explain()

    def explain(self) -> None:
        try:
            value = self.read()
        except ValidationError as error:
            text, bad = error.message, True
        else:
            text = "" if value is None else f"{self.label}: " * self.named + self.meaning(value)
            bad = False
        if bad and not self.named:
            text = text.removeprefix(f"{self.label}: ")
        self.preview.update(safe_text(text))
        self.preview.set_class(bad, "bad")
        self.preview.set_class(not text, "empty")


def with_preview(field: PhraseField):
    """The field, then the line saying what it means: for `yield from` in compose."""
    yield field
    yield field.preview
