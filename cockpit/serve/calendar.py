"""The book's calendar at an address a phone calendar subscribes to.

Each request gets the calendar `cockpit export ics` would write at that moment, made
afresh from the book (`export_calendar`) in a worker thread, so the server goes on
answering the browser sessions meanwhile; one at a time, as the book is opened for each.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from aiohttp import web

from cockpit.errors import CockpitError
from cockpit.storage.location import DatabaseLocation

log = logging.getLogger("cockpit.serve")
FILE_NAME = "cockpit.ics"


class Calendar:
    def __init__(self, location: DatabaseLocation) -> None:
        self.location = location
        self._one_at_a_time = threading.Lock()

    def made(self) -> bytes:
        """The calendar as it stands in the book now."""
        from cockpit.exporters.ics import export_calendar
        from cockpit.storage.database import opened

        with self._one_at_a_time, opened(self.location):
            export = export_calendar()
        for warning in export.warnings():
            log.warning("the calendar: %s", warning)
        return export.data

    async def handle(self, _request: web.Request) -> web.Response:
        from cockpit.storage.guarded import failure_message, is_database_error

        try:
            data = await asyncio.to_thread(self.made)
        except Exception as error:
            if not (isinstance(error, CockpitError) or is_database_error(error)):
                raise
            log.error(
                "the calendar could not be made: %s", failure_message(error, self.location.label)
            )
            return web.Response(
                status=503,
                text="The calendar cannot be made now: the book cannot be read.\n",
                headers={"Cache-Control": "no-store", "Retry-After": "300"},
            )
        return web.Response(
            body=data,
            content_type="text/calendar",
            charset="utf-8",
            headers={
                "Content-Disposition": f'inline; filename="{FILE_NAME}"',
                "Cache-Control": "no-store",
            },
        )
