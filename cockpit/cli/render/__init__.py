"""What the commands print: pure functions from what a command found to the text it shows,
with user text made printable. None of them reads the book."""
