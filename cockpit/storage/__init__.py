"""Everything that reads or writes the book's tables lives in this package; nothing above
it imports Peewee or the models, and what its queries return is plain dataclasses or tuples.

`database` opens and sets up connections (with `book_file`, `peek` and `connecting`;
`server` for a book on PostgreSQL), `models` declares the tables, `migrations` keeps their
schema current. The writes and reads are split by what they are about: `clients`, `touches`
(and deals), `plans`, `profile_answers`, `summaries` (what a client row keeps about its
touches), `bulk` (imports), `reps` (who uses the book), `reviews`, `ownership`,
`team_settings`, `forgetting`. The domain reads through `health_facts`, `client_facts` and
`review_facts`; the importers and exporters through `import_matching` and `export_rows`; the
demo and the bench write through `sample_books`. `book` gathers the writes as one API for
the UI and the commands, and `guarded` turns database errors into Cockpit's. What
may be stored is checked in `cockpit.validation`, which needs no database. `team` holds a
team book's rules on the server, `backup` (with `backup_format`, `backup_reading`) and
`backup_checks` the JSON copy of a book.
"""
