"""Exports and backups never write through a symbolic link, and a backup is private
whatever the umask says."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.storage import book


@pytest.fixture
def saved_book(db, book_path, today) -> Path:
    book.add_client("Ann Example", "Acme", emails=["ann@acme.example"])
    db.close()
    return book_path


@pytest.mark.parametrize(
    "command", [["export", "vcard"], ["export", "csv"], ["export", "ics"], ["backup"]]
)
def test_a_link_in_the_way_is_refused_without_force(saved_book, tmp_path, capsys, command):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    link = tmp_path / "out.file"
    link.symlink_to(precious)
    assert main(["--db", str(saved_book), *command, str(link)]) == 2
    assert "exists; add --force" in capsys.readouterr().err
    assert precious.read_text(encoding="utf-8") == "keep me"
    assert link.is_symlink()


@pytest.mark.parametrize("command", [["export", "vcard"], ["backup"]])
def test_force_replaces_the_link_itself_never_the_file_it_points_to(saved_book, tmp_path, command):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    link = tmp_path / "out.file"
    link.symlink_to(precious)
    assert main(["--db", str(saved_book), *command, str(link), "--force"]) == 0
    assert precious.read_text(encoding="utf-8") == "keep me"
    assert not link.is_symlink() and "Ann Example" in link.read_text(encoding="utf-8")


def test_a_dangling_link_is_not_followed_to_create_a_file(saved_book, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere.vcf"
    link = tmp_path / "out.vcf"
    link.symlink_to(elsewhere)
    assert main(["--db", str(saved_book), "export", "vcard", str(link)]) == 2
    assert not elsewhere.exists()


def test_a_backup_is_private_even_with_an_open_umask(saved_book, tmp_path):
    target = tmp_path / "backup.json"
    previous = os.umask(0)
    try:
        assert main(["--db", str(saved_book), "backup", str(target)]) == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".backup.json.")]


def test_an_export_follows_the_umask(saved_book, tmp_path):
    target = tmp_path / "clients.vcf"
    previous = os.umask(0o027)
    try:
        assert main(["--db", str(saved_book), "export", "vcard", str(target)]) == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
