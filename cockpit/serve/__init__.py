"""`cockpit serve`: the cockpit in a web browser, through textual-serve.

Each browser session runs the same app as the terminal, `python -m cockpit` on the book
the server was started for, in a process of its own; the page draws its screen with
xterm.js. `access` decides who may use it (a token on every route, the websocket only
from the page itself), `page` serves the page, `sessions` the apps, `calendar` the book's
calendar for a phone to subscribe to, and `server` puts them together and runs them.
"""
