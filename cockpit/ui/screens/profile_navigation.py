"""Moving through the Mackay 66 editor: the parts of the form mounted after its first
frame, a few items at a time and in order, and Tab and the section keys, which mount
up to the field they go to first."""

from __future__ import annotations

from textual import work
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import OptionList

from cockpit.profile.schema import SECTIONS, items_in_section
from cockpit.ui.screens.profile_form import (
    FIRST_PART_OF_SECTION,
    MOUNT_STEPS,
    PART_OF_ITEM,
    PARTS,
    Part,
    section_id,
)


class FormNavigation:
    """Mixed into ProfileEditor, whose `_ready`, `_drawn`, `_mounting`, `_parts_mounted`,
    `form` and `initial` it uses."""

    # Mounting the rest -----------------------------------------------------

    @work(group="profile-form", exclusive=True)
    async def _mount_the_rest(self) -> None:
        await self._drawn.wait()  # the first items are on screen,
        await self.wait_for_refresh()  # and the footer, composed after that: now the rest
        for last in MOUNT_STEPS:
            await self._mount_through(last)
            await self.wait_for_refresh()  # shown, and what was typed meanwhile handled

    async def _mount_through(self, last: int) -> None:
        """Mount the parts up to PARTS[last], in order (each only once), together."""
        async with self._mounting:
            if self._left:  # Esc while it opened: nothing more to mount
                return
            parts, mounting = PARTS[self._parts_mounted : last + 1], []
            for part in parts:
                section = self.query_one(f"#{section_id(part.section)}", Vertical)
                mounting.append(section.mount_all(list(self.form.part_widgets(part))))
            for mounted in mounting:
                await mounted
            if self._left:  # left while these were mounted: its sections may be gone
                return
            for part in parts:
                self._remember_initial(part)
                if part.items[-1] is items_in_section(part.section)[-1]:
                    section = self.query_one(f"#{section_id(part.section)}", Vertical)
                    section.remove_class("-pending")
            self._parts_mounted += len(parts)

    @property
    def _left(self) -> bool:
        """Whether the editor was left: off the screen stack, its widgets being removed
        (the mounting worker is cancelled only once they all are)."""
        return not self.is_attached or self not in self.app.screen_stack

    def _remember_initial(self, part: Part) -> None:
        for item in part.items:
            for field in item.fields:
                self.initial[field.key] = self.form.value(field)

    def _part_of(self, widget: Widget | None) -> int | None:
        """Which part of the form a widget is in (None outside the items)."""
        while widget is not None and not widget.has_class("item"):
            widget = widget.parent
        return None if widget is None else PART_OF_ITEM[int(widget.id.removeprefix("item-"))]

    async def action_next_field(self) -> None:
        await self._ready.wait()  # a Tab typed while the screen was built comes after it
        part = self._part_of(self.focused)
        if part is not None:  # the next field may be in the next part
            await self._mount_through(min(part + 1, len(PARTS) - 1))
        self._focus_step(1)

    async def action_previous_field(self) -> None:
        await self._ready.wait()
        if self._part_of(self.focused) is None and not isinstance(self.focused, OptionList):
            # From the buttons below the form, the previous field is the very last one.
            await self._mount_through(len(PARTS) - 1)
        self._focus_step(-1)

    def _focus_step(self, step: int) -> None:
        """Focus the next (1) or the previous (-1) widget, as Textual's Tab does, but
        in the order of the form rather than of places on the screen (the same order
        here), which widgets mounted this instant do not have yet. And bring it into
        view at once: with Textual's animated scroll, a burst of Tabs could leave an
        earlier animation ending away from the field that has the focus."""
        order = {node: index for index, node in enumerate(self.walk_children())}
        chain = sorted(self.focus_chain, key=order.__getitem__)
        if not chain:
            return
        if self.focused in chain:
            target = chain[(chain.index(self.focused) + step) % len(chain)]
        else:
            target = chain[0]
        self.set_focus(target, scroll_visible=False)

        def keep_in_view() -> None:
            if self.focused is target and not self.can_view_entire(target):
                self.scroll_to_center(target, animate=False, origin_visible=True, immediate=True)

        self.call_after_refresh(keep_in_view)

    def _current_section(self) -> int:
        """The section of the focused field (else the one highlighted on the left)."""
        part = self._part_of(self.focused)
        if part is None:
            return self.query_one("#sections", OptionList).highlighted or 0
        return SECTIONS.index(PARTS[part].section)

    async def _jump(self, step: int) -> None:
        await self._ready.wait()
        index = (self._current_section() + step) % len(SECTIONS)
        self.query_one("#sections", OptionList).highlighted = index
        await self._show_section(SECTIONS[index])

    async def action_next_section(self) -> None:
        await self._jump(1)

    async def action_previous_section(self) -> None:
        await self._jump(-1)

    async def _show_section(self, section: str) -> None:
        await self._mount_through(FIRST_PART_OF_SECTION[section])
        form = self.query_one(f"#{section_id(section)}", Vertical)
        fields = self.query_one("#fields", VerticalScroll)
        self.call_after_refresh(fields.scroll_to_widget, form, top=True, animate=False)
        target = form.query("Input, Select, TextArea").first()
        self.set_focus(target, scroll_visible=False)  # now: the next key goes there
