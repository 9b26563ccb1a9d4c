"""Writing the synthetic corpus fast, in one transaction.

On PostgreSQL, practices and movements are COPYed into a staging table under primary keys reserved
from their sequence, then moved into their table by one INSERT ... SELECT that builds the search
vector of the model's SearchSpec on the way, so each row is written once (save_records); link rows
are COPYed straight into their tables (save_links); the GIN indexes are dropped for the load and
rebuilt after it (gin_indexes_deferred), and the writes run in a thread of their own (Pipeline).
Elsewhere (SQLite, which has no search vector) rows and links go through bulk_create.
"""

import queue
import threading
import time
from contextlib import ExitStack, contextmanager

from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.models.sql import Query

from curation.history import version_groups, write_initial_versions
from search.documents import spec_for
from search.postgres import is_postgresql

BATCH = 2000
HISTORY_COMMENT = "Synthetic record"  # what the purge finds the first versions by


def quote(name):
    return connection.ops.quote_name(name)


@contextmanager
def own_timestamps(*models):
    """Let bulk_create keep the created/updated times we give instead of stamping `now`."""
    fields = [
        field
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@contextmanager
def gin_indexes_deferred(*models):
    """On PostgreSQL, drop the models' GIN indexes (search vectors, trigrams) for a bulk load and
    build them again after it: one build is far faster than 100,000 insertions into them. Use it
    inside a transaction, so that a failure rolls the drop back too."""
    if not is_postgresql():
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexdef LIKE %s ORDER BY indexname",
            [tables, "% USING gin %"],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        # Deferred foreign-key checks must run before an index can be built in this transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


DONE, ABORT = object(), object()


class Pipeline:
    """Writes what the command draws, in order, in one transaction.

    On PostgreSQL (outside a transaction) the writes run in a second thread with its own
    connection, so the next batch is drawn while the database works on the last one; the two
    cores then share the work. The GIN indexes are dropped for the load and rebuilt after it
    (gin_indexes_deferred). Elsewhere, and inside a transaction (tests), it writes inline.
    """

    def __init__(self, write, gin=()):
        self.write = write
        self.gin = gin
        self.threaded = is_postgresql() and not connection.in_atomic_block
        self.error = None
        self.phase_label = None

    def __enter__(self):
        self.started = time.monotonic()
        if self.threaded:
            self.jobs = queue.Queue(maxsize=3)
            self.thread = threading.Thread(target=self.work, name="seed-writer", daemon=True)
            self.thread.start()
        else:
            self.stack = ExitStack()
            self.stack.enter_context(transaction.atomic())
            self.stack.enter_context(gin_indexes_deferred(*self.gin))
        return self

    def __exit__(self, kind, error, traceback):
        if error is None:
            self.phase(None)
        if self.threaded:
            self.jobs.put(ABORT if error else DONE)
            self.thread.join()
            if self.error is not None and error is None:
                raise self.error
        else:
            self.stack.__exit__(kind, error, traceback)
        if error is None and is_postgresql():
            self.write(f"  GIN indexes rebuilt at {self.elapsed():.1f} s")
        return False

    def work(self):
        job = None
        try:
            with transaction.atomic(), gin_indexes_deferred(*self.gin):
                while (job := self.jobs.get()) is not DONE:
                    if job is ABORT:
                        raise CommandError("Stopped: nothing was saved.")
                    job()
        except BaseException as error:
            self.error = error
            while job not in (DONE, ABORT):
                job = self.jobs.get()
        finally:
            connections.close_all()

    def submit(self, job, *args):
        """Run job(*args) after everything submitted before it."""
        if self.error is not None:
            raise self.error
        if self.threaded:
            self.jobs.put(lambda: job(*args))
        else:
            job(*args)

    def wait(self, job):
        """Run `job` after everything submitted before it and return its result."""
        if not self.threaded:
            return job()
        done, result = threading.Event(), []
        self.submit(lambda: (result.append(job()), done.set()))
        while not done.wait(0.5):
            if self.error is not None:
                raise self.error
        return result[0]

    def phase(self, label):
        """End the phase under way, whose line says when its writes were done, and start the
        next one."""
        if self.phase_label is not None:
            ending = self.phase_label
            self.submit(lambda: self.write(f"  {ending}: saved at {self.elapsed():.1f} s"))
        self.phase_label = label

    def elapsed(self):
        return time.monotonic() - self.started


def save_first_versions(records):
    """A first version of each record, with its tags, figures and links, as the seed content
    has: `records` is [(model, primary keys)], read back in batches and written in bulk."""
    for model, pks in records:
        for first in range(0, len(pks), BATCH):
            groups = version_groups(model, pks[first : first + BATCH])
            write_initial_versions(groups, comment=HISTORY_COMMENT)


def save_records(model, rows):
    """Insert the unsaved `rows` of a searchable model, with their search vectors, and set their
    primary keys.

    On PostgreSQL the keys are reserved from the table's sequence and the rows COPYed into a
    staging table, from which one INSERT ... SELECT moves them with the vector of the model's
    SearchSpec: each row is written once, and no SQL is compiled per row in Python (which holds
    the GIL the drawing thread needs). Elsewhere there is no vector, and bulk_create does it.
    """
    if not is_postgresql():
        with own_timestamps(model):
            model.objects.bulk_create(rows, batch_size=BATCH)
        return
    meta = model._meta
    vector_field = meta.get_field("search_vector")
    fields = [f for f in meta.concrete_fields if f not in (meta.pk, vector_field)]
    columns = ", ".join(quote(column) for column in [meta.pk.column, *(f.column for f in fields)])
    table = quote(meta.db_table)
    query = Query(model)
    vector, params = query.get_compiler(connection=connection).compile(
        spec_for(model).vector().resolve_expression(query)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
        cursor.execute(
            f"CREATE TEMPORARY TABLE seed_staging AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY seed_staging ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
                copy.write_row([row.pk, *values])
        # The vector's SQL names the model's table: the staging table takes its name here.
        cursor.execute(
            f"INSERT INTO {table} ({columns}, {quote(vector_field.column)}) "
            f"SELECT {columns}, {vector} FROM seed_staging AS {table}",
            params,
        )
        cursor.execute("DROP TABLE seed_staging")


def save_links(model, fields, rows):
    """Insert link rows, each a tuple of values for `fields` (attribute names of `model`): by
    COPY on PostgreSQL, else by bulk_create."""
    if not rows:
        return
    if not is_postgresql():
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=5000
        )
        return
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def insert_links(records, links, owner):
    """Insert the link rows of saved `records`: `links` holds, per record, {link model: (target
    field, target ids)}; the owner field is `<model>_id` unless `owner` names it."""
    rows = {}
    for record, record_links in zip(records, links, strict=True):
        for model, (field, ids) in record_links.items():
            own = owner.get(model, f"{record._meta.model_name}_id")
            rows.setdefault((model, own, field), []).extend((record.pk, target) for target in ids)
    for (model, own, field), pairs in rows.items():
        save_links(model, (own, field), pairs)
