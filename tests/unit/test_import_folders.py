"""`cockpit import` of folders and of many files (issue 19, point 5): a folder is read with one
level of subfolders (a vdirsyncer vdir), every file recognised by its content; the files it
does not know are skipped and listed, hidden files and editor backups passed over; a Maildir
is mail, refused before anything is written; the whole command is one transaction, one line
a file and a grand total; and a progress bar on a terminal, never in a pipe."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cockpit.cli import imports as import_command
from cockpit.cli import main
from cockpit.cli.render.imports import progress_line
from cockpit.importers import files
from cockpit.importers.files import import_paths
from cockpit.storage.models import Client, ClientEmail, ImportRun, Interaction

HEADER = "client,company,date,kind,intent,duration_min,amount,note\n"


def _card(name: str, *lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", f"FN:{name}", *lines, "END:VCARD", ""])


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _run(capsys, *args: str, book_path: Path) -> tuple[int, list[str], list[str]]:
    code = main(["import", *args, "--db", str(book_path)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


@pytest.fixture
def vdir(tmp_path: Path) -> Path:
    """~/.contacts as vdirsyncer keeps it: a subfolder per collection, a card a file, with
    its metadata files; and what else a folder holds."""
    root = tmp_path / "contacts"
    _write(root / "work" / "4f1c.vcf", _card("Ann Smith", "ORG:Acme", "EMAIL:ann@acme.example"))
    _write(root / "work" / "9a2e.vcf", _card("Bob Jones"))
    _write(root / "work" / "displayname", "Work\n")
    _write(root / "personal" / "c3d4.vcf", _card("Cleo Tan", "EMAIL:cleo@tan.example"))
    _write(root / "personal" / "c3d4.vcf~", _card("Cleo Tan (old)"))
    _write(root / "personal" / ".c3d4.vcf.swp", "binary-ish")
    _write(root / ".DS_Store", "\x00\x01")
    _write(root / "personal" / "archive" / "old.vcf", _card("Deep Down"))
    _write(root / "notes.txt", "Remember to call Ann.\n")
    return root


def test_a_vdir_imports_each_card_file_and_lists_every_file(vdir, db, today, book_path, capsys):
    code, out, err = _run(capsys, str(vdir), book_path=book_path)
    assert (code, err) == (0, [])
    assert out == [
        "notes.txt: skipped, not a file Cockpit knows",
        "personal/c3d4.vcf: contacts created 1, updated 0, unchanged 0, failed 0",
        "work/4f1c.vcf: contacts created 1, updated 0, unchanged 0, failed 0",
        "work/9a2e.vcf: contacts created 1, updated 0, unchanged 0, failed 0",
        "work/displayname: skipped, not a file Cockpit knows",
        "personal/archive/: not read (a folder is read with one level of subfolders)",
        "Total, 3 files, import #1: 3 clients created, 0 updated, 0 unchanged; 0 failed; "
        "2 files skipped; 3 hidden or backup files passed over "
        "('cockpit import --undo 1' takes it back)",
    ]
    assert sorted(client.name for client in Client.select()) == [
        "Ann Smith",
        "Bob Jones",
        "Cleo Tan",
    ]
    code, out, _ = _run(capsys, str(vdir), book_path=book_path)  # again: nothing changes
    assert out[-1].startswith(
        "Total, 3 files, import #2: 0 clients created, 0 updated, 3 unchanged"
    )
    assert Client.select().count() == 3


def test_mail_without_your_address_is_refused_and_nothing_is_written(
    tmp_path, db, today, book_path, capsys
):
    mail = tmp_path / "Mail"
    for name in ("cur", "new", "tmp"):
        (mail / "INBOX" / name).mkdir(parents=True)
    card = _write(tmp_path / "ann.vcf", _card("Ann Smith"))
    mbox = _write(tmp_path / "inbox.mbox", "From ann@acme.example Mon Jan 12 10:00:00 2026\n")
    for named in (mail / "INBOX", mail, mbox):
        code, out, err = _run(capsys, str(card), str(named), book_path=book_path)
        assert code == 2 and out == []
        assert len(err) == 1 and err[0].startswith("cockpit: which mail is yours? Give your")
        assert "--me" in err[0] and "me = [" in err[0]
    assert Client.select().count() == 0 and ImportRun.select().count() == 0


def test_a_mailbox_is_read_named_and_in_a_folder(tmp_path, db, today, book_path, capsys):
    mbox = _write(
        tmp_path / "in" / "inbox.mbox",
        "From ann@acme.example Mon Jan 12 10:00:00 2026\nFrom: ann@acme.example\n"
        "To: me@acme.example\nSubject: Hello\nDate: Mon, 12 Jan 2026 10:00:00 +0000\n"
        "Message-ID: <one@acme.example>\n\nHello\n",
    )
    _write(tmp_path / "in" / "ann.vcf", _card("Ann Smith"))
    (tmp_path / "in" / "Maildir" / "cur").mkdir(parents=True)
    (tmp_path / "in" / "Maildir" / "new").mkdir()
    me = ("--me", "me@acme.example")
    code, out, _ = _run(capsys, str(mbox), *me, book_path=book_path)
    assert code == 0 and "inbox.mbox: mbox, 1 message read" in out
    code, out, _ = _run(capsys, str(tmp_path / "in"), *me, book_path=book_path)
    assert code == 0
    assert "inbox.mbox: mbox, 1 message read" in out
    assert "Maildir: Maildir, 0 messages read" in out
    assert Client.select().count() == 1


def test_many_files_are_one_transaction_a_bad_one_named_writes_nothing(
    tmp_path, db, today, book_path, capsys
):
    good = _write(tmp_path / "good.vcf", _card("Ann Smith"))
    bad = _write(tmp_path / "numbers.csv", "a,b,c\n1,2,3\n")
    code, out, err = _run(capsys, str(good), str(bad), book_path=book_path)
    assert (code, out) == (2, [])
    assert err == [
        f"cockpit: {bad}: not a file Cockpit knows. {files.KNOWN}; nothing was imported "
        "(the 2 files of an import go in together)"
    ]
    assert Client.select().count() == 0


def test_a_csv_broken_half_way_stops_a_file_named_but_not_a_folder(
    tmp_path, db, today, book_path, capsys
):
    # A cell larger than the csv module takes (a quote never closed swallows the file).
    broken = HEADER + 'Ann Smith,Acme,2026-01-12,call,,,,"never closed' + "x" * 200_000 + "\n"
    folder = tmp_path / "in"
    path = _write(folder / "history.csv", broken)
    _write(folder / "bob.vcf", _card("Bob Jones"))
    code, out, err = _run(capsys, str(path), str(folder / "bob.vcf"), book_path=book_path)
    assert code == 2 and out == []
    assert "broken CSV" in err[0] and err[0].endswith(
        "nothing was imported (none of the 2 files: an import goes in whole or not at all)"
    )
    assert Client.select().count() == 0
    code, out, err = _run(capsys, str(folder), book_path=book_path)
    assert code == 1  # something did not come in
    assert err[0].startswith(f"{path}: broken CSV at line ")
    assert "history.csv: skipped, broken CSV at line " in "\n".join(out)
    assert [client.name for client in Client.select()] == ["Bob Jones"]


def test_a_folder_with_nothing_to_import_is_said_so(tmp_path, db, today, book_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = _run(capsys, str(empty), book_path=book_path)
    assert code == 2 and err == [
        f"cockpit: {empty}: no files to import there; nothing was imported"
    ]
    _write(empty / "todo.txt", "milk\n")
    code, _, err = _run(capsys, str(empty), book_path=book_path)
    assert code == 2 and "none of its 1 file is one Cockpit imports" in err[0]


def test_the_same_file_named_twice_is_read_once(tmp_path, db, today, book_path, capsys):
    card = _write(tmp_path / "in" / "ann.vcf", _card("Ann Smith", "NOTE:Met at the fair."))
    code, out, _ = _run(capsys, str(card), str(tmp_path / "in"), str(card), book_path=book_path)
    assert code == 0 and out[-1].startswith("Total, 1 file, import #1: 1 client created")
    assert Interaction.select().count() == 1


def test_an_address_book_after_a_history_matches_the_clients_it_created(
    tmp_path, db, today, book_path, capsys
):
    history = _write(tmp_path / "a-history.csv", HEADER + "Ann Smith,Acme,2026-01-12,call,,,,Hi\n")
    cards = _write(
        tmp_path / "b-cards.vcf", _card("Ann Smith", "ORG:Acme", "EMAIL:ann@acme.example")
    )
    code, out, _ = _run(capsys, str(history), str(cards), book_path=book_path)
    assert code == 0
    assert out[1:3] == [
        f"{cards} (record 1): Ann Smith updated: email ann@acme.example added",
        "b-cards.vcf: contacts created 0, updated 1, unchanged 0, failed 0",
    ]
    assert Client.select().count() == 1
    assert [email.address for email in ClientEmail.select()] == ["ann@acme.example"]


def test_a_crash_in_a_later_file_leaves_nothing_of_the_earlier_ones(
    tmp_path, db, today, monkeypatch
):
    first = _write(tmp_path / "1.vcf", _card("Ann Smith"))
    second = _write(tmp_path / "2.vcf", _card("Bob Jones"))
    real = files._Session.one

    def crash_on_the_second(session, planned, meter, count):
        if planned.source.path == second:
            raise RuntimeError("the disk went away")
        return real(session, planned, meter, count)

    monkeypatch.setattr(files._Session, "one", crash_on_the_second)
    with pytest.raises(RuntimeError):
        import_paths([first, second])
    assert Client.select().count() == 0 and ImportRun.select().count() == 0


def test_the_progress_moves_on_file_by_file_to_the_end(vdir, db, today):
    seen: list[tuple[float, str]] = []
    import_paths([vdir], progress=lambda fraction, name: seen.append((fraction, name)))
    fractions = [fraction for fraction, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert {name for _, name in seen} >= {"work/4f1c.vcf", "personal/c3d4.vcf"}


def test_a_large_history_tells_how_far_it_is_within_the_file(tmp_path, db, today):
    rows = "".join(f"Client {n % 50},,2026-01-12,call,,,,Row {n}\n" for n in range(10_000))
    path = _write(tmp_path / "big.csv", HEADER + rows)
    seen: list[float] = []
    import_paths([path], progress=lambda fraction, name: seen.append(fraction))
    within = [fraction for fraction in seen if 0 < fraction < 0.9]
    assert len(within) >= 3 and within == sorted(within)


def test_no_progress_bar_unless_stderr_is_a_terminal(vdir, db, today, book_path, capsys):
    assert import_command.TerminalProgress.on_stderr() is None  # captured: not a terminal
    code, _, err = _run(capsys, str(vdir), book_path=book_path)
    assert code == 0 and err == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_on_a_terminal_shows_after_a_second_and_is_taken_away(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(import_command.time, "monotonic", lambda: now[0])
    terminal = _Terminal()
    bar = import_command.TerminalProgress(terminal)
    bar(0.2, "work/4f1c.vcf")
    assert terminal.getvalue() == ""  # an import quicker than a second shows none
    now[0] += 1.5
    bar(0.5, "work/\x1b]0;x\x07.vcf")
    drawn = terminal.getvalue()
    assert drawn.startswith("\rImporting [") and " 50%  work/␛]0;x␇.vcf" in drawn
    assert "\x1b]" not in drawn  # a file's name never drives the terminal
    now[0] += 0.01
    bar(0.6, "later")  # too soon to draw again
    assert terminal.getvalue() == drawn
    bar.close()
    assert terminal.getvalue().endswith("\r\x1b[K")


def test_a_progress_line_fits_the_terminal():
    line = progress_line(0.42, "a/" + "very-long-name" * 10 + ".vcf", 60)
    assert len(line) <= 60 and line.startswith("Importing [") and "42%" in line
    assert line.endswith(".vcf") and "..." in line
    assert progress_line(1.0, "", 80).startswith("Importing [" + "=" * 20)
