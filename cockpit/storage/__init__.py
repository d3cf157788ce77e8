"""Everything that reads or writes the book's tables lives in this package.

`database` opens and sets up connections (the only module that connects; `server` for a
book on PostgreSQL), `models` declares the tables, `migrations` keeps their schema
current. The writes and reads are split by what they are about: `clients`, `touches`
(and deals), `plans`, `profile_answers`, `summaries` (what a client row keeps about its
touches), `bulk` (imports), `reps` (who uses the book), `reviews`, `ownership`,
`team_settings`; `book` gathers them as one API for the UI and the commands. What may be
stored is checked in `cockpit.validation`, which needs no database. `team` holds a team
book's rules on the server, `backup` and `backup_checks` the JSON copy of a book.
"""
