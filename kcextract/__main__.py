"""``python -m kcextract``: the same as the ``kcextract`` command."""

from kcextract.cli import entry

entry()
