"""Everything that touches the database lives in this package.

`database` opens and sets up connections (the only module that does),
`models` declares the tables, `migrations` keeps their schema current, and
`book` is the API the UI and the commands use to read and write.
"""
