// Cockpit's page, around textual-serve's textual.js (which draws the app with xterm.js).
// It opens the session's websocket at this page's own address, so that the page works
// behind a proxy (https and wss, a path of its own) with nothing to set; it starts the
// terminal once the bundled font is loaded, since xterm.js measures its cells with the
// font at hand when it starts; it gives the terminal the keyboard and tells the app when
// the page has it (textual.js listens where xterm.js's input never is, so the app would
// think itself in the background: dimmed, without its footer's keys); and it offers a
// new session once one ends.
(function () {
  "use strict";
  const startTerminals = window.onload; // textual.js's, which connects at once
  window.onload = null;

  window.addEventListener("load", async function () {
    const terminal = document.getElementById("terminal");
    const address = new URL("ws", window.location.href);
    address.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
    address.search = "";
    terminal.dataset.sessionWebsocketUrl = address.href;
    try {
      await document.fonts.load(terminal.dataset.fontSize + 'px "Roboto Mono"');
    } catch (error) {
      // Without the font xterm.js falls back to the browser's monospace font.
    }
    startTerminals();
    relayFocus(terminal);
  });

  function relayFocus(terminal) {
    const input = terminal.querySelector(".xterm-helper-textarea");
    const screen = terminal.querySelector(".xterm-screen");
    if (!input || !screen) return;
    // textual.js sends "focus" and "blur" to the app when its screen element sees them.
    const tell = (type) => screen.dispatchEvent(new FocusEvent(type));
    input.addEventListener("focus", () => tell("focus"));
    input.addEventListener("blur", () => tell("blur"));
    // The app starts as if in the background, once it has drawn its first screen.
    const started = new MutationObserver(function () {
      if (document.body.classList.contains("-first-byte")) {
        started.disconnect();
        if (document.activeElement === input) tell("focus");
      }
    });
    started.observe(document.body, { attributes: true, attributeFilter: ["class"] });
    input.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.getElementById("again").addEventListener("click", function () {
      window.location.reload();
    });
  });
})();
