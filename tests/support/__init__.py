"""Plain helpers and data the tests share (no tests here): the fixtures are in conftest.py files."""
