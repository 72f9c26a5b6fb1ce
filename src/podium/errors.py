"""Podium's error tree. Catch ``PodiumError`` to catch them all.

Messages say what is wrong, where, and what to do; the CLI prints them as one line.

    PodiumError
    ├── InputError        bad input file: missing, binary, empty, undecodable, too large
    ├── StyleError        a house-style file that cannot be loaded
    ├── StoreError        a store that is damaged, read-only or busy with another ingest
    └── UsageError        a valid file asked for something impossible (bad option value)
"""

from __future__ import annotations


class PodiumError(Exception):
    """Base of every error Podium raises on purpose."""

    exit_code = 1


class InputError(PodiumError):
    """The input cannot be read as a transcript."""


class StyleError(PodiumError):
    """A house-style file is missing, malformed or inconsistent."""


class StoreError(PodiumError):
    """The store cannot be used as asked: damaged, not writable, or locked by another ingest."""


class UsageError(PodiumError):
    """An option or argument has a value Podium cannot use."""

    exit_code = 2
