"""A Textual app that hands the browser a file as soon as it starts: what a download
through `cockpit serve` looks like (tests/e2e/test_serve.py)."""

from __future__ import annotations

import io

from textual.app import App


class Delivering(App):
    def on_mount(self) -> None:
        self.deliver_text(io.StringIO("Notes from the app\n"), save_filename="notes.txt")


if __name__ == "__main__":
    Delivering().run()
