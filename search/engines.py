"""One engine per database, behind one interface: `postgres` or `sqlite` (FTS5)."""

from django.db import connections

from . import postgres, sqlite


def engine(using="default"):
    return postgres if connections[using].vendor == "postgresql" else sqlite


def is_postgresql(using="default"):
    return engine(using) is postgres
