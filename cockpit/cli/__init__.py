"""The `cockpit` command line: one module a group of commands, each adding its parsers
(`register`) and carrying its commands out; `program` builds the parser from them and runs
one. What the commands print is made in `render`.

Start-up matters here: these modules import little at the top (the standard library, the
parser helpers, `cockpit.text`). Each
command imports what it needs, and only `cockpit` without a command (the TUI) and
`cockpit demo` import Textual.
"""

from cockpit.cli.program import build_parser, main, run

__all__ = ["build_parser", "main", "run"]
