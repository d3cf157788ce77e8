"""`cockpit bench`: build a large book and measure what the issues' budgets name.

`builder` writes the book (and a vCard file) deterministically, `run` measures
every figure and `report` prints the table or the JSON; `measure` names the
figures and `budgets` holds their budgets, a table for 10,000 clients and one for
50,000. What a person sees is timed in a real terminal: `terminal` runs a program
in tmux and watches its screen through a control-mode client (`control_mode`),
`screen` reads what the screen shows, `in_terminal` runs Cockpit against the bare
Textual app of `bare_filter_app`, and `terminal_figures` makes the figures. The
rest is timed in the bench's own process (`in_process`, `in_app`) or as whole
processes (`commands`, `processes`, with `launch_app`, `instrumented_app` and
`bare_app`, the yardstick of cold start). Nothing here is imported unless
`cockpit bench` runs.
"""
