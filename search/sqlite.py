"""The SQLite engine: SQLite's own full-text search, FTS5.

Each searchable table has an external-content FTS5 table, `<table>_fts`, over its searched
fields (the porter stemmer over unicode61, without diacritics; prefix indexes), kept in step by
triggers on the table itself, so that every write is indexed: saves, queryset updates, bulk loads
and deletes alike. A parsed query becomes a MATCH expression in which every word is a quoted FTS5
string, so nothing a user types is FTS5 syntax."""

from django.db import connections
from django.db.models import F, FloatField, Func, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from .query import crude_stem

# Weights by field class: PostgreSQL's default A/B/C/D rank weights.
SCORES = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
TOKENIZE = "porter unicode61 remove_diacritics 2"
# Prefix indexes for the lengths a prefix term has once stemmed ("leaders"* is "leader"*): such a
# term reads one list, from which a pool stops early; any other length merges the lists of every
# word it begins first (8-45 ms for a common prefix at 100,000 practices, under 1 ms with these).
PREFIX_LENGTHS = "4 5 6 7 8 9 10"
POOLS_IN_UNION = False  # SQLite allows no LIMIT inside a UNION.


def fts_table(model):
    return f"{model._meta.db_table}_fts"


def fts_sql(table, columns, pk="id"):
    """The statements that create `table`'s FTS5 index and its triggers, if they are missing."""
    fts, cols = f"{table}_fts", ", ".join(columns)
    old = ", ".join(f"old.{c}" for c in columns)
    new = ", ".join(f"new.{c}" for c in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.{pk}, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.{pk}, {new});"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', "
        f"content_rowid='{pk}', tokenize='{TOKENIZE}', prefix='{PREFIX_LENGTHS}')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {cols} ON {table} "
        f"BEGIN {delete} {insert} END",
    ]


def ensure_index(connection, table, columns, pk="id", *, create=True):
    """Create `table`'s FTS5 index and triggers where missing, and fill the index from the table
    if anything was. With `create` False, only put back the triggers of an existing index (a
    table that SQLite's schema editor rebuilt loses them)."""
    if connection.vendor != "sqlite":
        return
    names = [f"{table}_fts", *(f"{table}_fts_{e}" for e in ("insert", "delete", "update"))]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", names)
        found = {name for (name,) in cursor.fetchall()}
        if len(found) == len(names) or (names[0] not in found and not create):
            return
        for statement in fts_sql(table, columns, pk):
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


def drop_index(connection, table):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for event in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{event}")
            cursor.execute(f"DROP TABLE IF EXISTS {table}_fts")


def fts_operation(table, columns):
    """A migration operation creating `table`'s FTS5 index on SQLite (nothing elsewhere)."""
    from django.db import migrations

    return migrations.RunPython(
        lambda apps, editor: ensure_index(editor.connection, table, columns),
        lambda apps, editor: drop_index(editor.connection, table),
        elidable=False,
    )


# -- Queries --------------------------------------------------------------------------------


def prepared(parsed, using):
    return parsed


def term_expression(term):
    # Words are letters and digits only (query.WORD): quoted, they are FTS5 strings, never syntax.
    text = '"' + " ".join(term.words) + '"'
    return text + "*" if term.prefix else text


def match_expression(parsed, column=None):
    """`parsed` (with any alternative, see ParsedQuery.either) as an FTS5 MATCH expression; with
    `column`, what each alternative looks for must be in that column."""
    alternatives = []
    for group in parsed.groups:
        wanted = " AND ".join(term_expression(t) for t in group if not t.negated)
        if column:
            wanted = f"{{{column}}} : ({wanted})"
        excluded = " OR ".join(term_expression(t) for t in group if t.negated)
        alternatives.append(f"({wanted})" + (f" NOT ({excluded})" if excluded else ""))
    return " OR ".join(f"({alternative})" for alternative in alternatives)


def matches(queryset, spec, parsed):
    table = fts_table(queryset.model)
    found = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", (match_expression(parsed),))
    return Q(pk__in=found)


class Rank(Func):
    """Per looked-for term, the weight of the best field holding it (LIKE, in C), averaged over
    an alternative's terms, the best alternative counting: on the same scale in every table,
    as PostgreSQL's is, so that types merge. Written as one expression: a Case and a lookup per
    field and term cost more to compile than the query takes to run. (A correlated MATCH per
    row, for bm25(), reads the whole list of a common word each time: 5-30 ms a row at 100,000
    practices.)"""

    output_field = FloatField()

    def __init__(self, spec, parsed):
        weights = sorted(spec.weights, key=lambda item: item[1])
        super().__init__(*(F(name) for name, _weight in weights))
        self.scores = [SCORES[weight] for _name, weight in weights]
        self.groups = [
            [
                crude_stem(t.words[0]) if t.prefix else " ".join(t.words)
                for t in group
                if not t.negated
            ]
            for group in parsed.groups
        ]

    def as_sql(self, compiler, connection):
        fields = [compiler.compile(expression) for expression in self.source_expressions]
        averages, params = [], []
        for texts in self.groups:
            cases = []
            for text in texts:  # Letters, digits and spaces (query.WORD): nothing to escape.
                whens = []
                for (sql, field_params), score in zip(fields, self.scores, strict=True):
                    whens.append(f"WHEN {sql} LIKE %s THEN {score}")
                    params += [*field_params, f"%{text}%"]
                cases.append(f"CASE {' '.join(whens)} ELSE 0.0 END")
            averages.append(f"(({' + '.join(cases)}) / {float(len(texts))})")
        return averages[0] if len(averages) == 1 else f"MAX({', '.join(averages)})", params


def rank(queryset, spec, parsed):
    return Rank(spec, parsed)


def pools(queryset, spec, parsed, words, pool):
    """[(queryset, limit)]: pool + 1 of the matches; with `words`, pool of those with what they
    look for in their title (each term read once: repeating a prefix term repeats its cost)."""
    expressions = [(match_expression(parsed), pool + 1)]
    if words:
        expressions.append((match_expression(parsed, spec.title_field), pool))
    return [
        (queryset.filter(pk__in=first_matches(queryset, expression, limit)), limit)
        for expression, limit in expressions
    ]


def first_matches(queryset, expression, limit):
    """The keys of the first `limit` records of `queryset` that match, in the index's order:
    read from the index, each record looked up by key, stopping at `limit`. (`pk IN (MATCH)`
    reads every match first: 35-50 ms for a common word at 100,000 practices.)"""
    fts = fts_table(queryset.model)
    own = queryset.filter(pk=RawSQL(f"{fts}.rowid", ())).values("pk")
    sql, params = own.query.sql_with_params()
    return RawSQL(
        f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s AND EXISTS ({sql}) LIMIT {int(limit)}",
        (expression, *params),
    )


# snippet() needs a MATCH per row too: excerpts are marked in Python (queryset.snippet).
headline = None


# -- Indexing and spelling ------------------------------------------------------------------


def index(model, spec, pks, using):
    """Nothing to do: the triggers index every write."""


def reindex(model, spec, using):
    """Rebuild the model's FTS5 index from its table (creating it where missing)."""
    connection = connections[using]
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in spec.fields()]
    ensure_index(connection, table, columns, model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


def add_lexemes(model, using):
    """Nothing to do: prefixes are FTS5 prefix queries."""


def similar_words(known, words):
    """{word: known words of a length that difflib may find close enough}."""
    known = known.annotate(length=Length("word"))
    return {
        word: list(
            known.filter(length__range=(len(word) * 3 // 5, len(word) * 5 // 3 + 1)).values_list(
                "word", flat=True
            )
        )
        for word in words
    }
