"""Mail: what an mbox file or a Maildir folder says of your clients.

`mailboxes.MailReading` reads a mailbox one message at a time (`message.read_message`
each: its addresses, day, subject, key, and with notes its text, `bodies`), reporting
what is wrong with the mailbox or a message as `message.Problem`s; `sorting.sort_mail`
turns the messages into your email touches, the days a client wrote to you ("heard
from"), the addresses that are nobody's and what was skipped, given your addresses and
whose each address is (compared by `cockpit.email_addresses.address_key`). `keys` makes
each message's key for the import's ledger, from its Message-ID. Nothing here touches
the book.
"""
