"""Writing the book out: the calendar (iCalendar), the address book (vCard) and the
interchange history CSV. Every file is written through `atomic.write_file`."""
