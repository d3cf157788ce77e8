"""`cockpit bench`: build a large book and measure what the issue's budgets name.

`builder` writes the book (and a vCard file) deterministically, `measure`
times each figure, `report` prints the table or the JSON. `bare_app` is the
tiny Textual app that cold start is compared with; it runs as a script.
Nothing here is imported unless `cockpit bench` runs.
"""
