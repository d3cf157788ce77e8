"""Bringing files into a book. `import_file` recognises a file by its content."""
