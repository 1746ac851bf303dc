"""The maintained search columns that every searchable model carries, and the migration operation for their index."""

from __future__ import annotations

from django.db import models
from django.db.migrations.operations import RunSQL

from .text import normalize, tokens, tsvector_literal


class NgramVectorField(models.Field):
    """A tsvector of unigrams and bigrams (search.text.tokens), written from Python as a list of lexemes.

    On SQLite (`make run`) it is a text column that nothing reads: the fallback is LIKE on search_text.
    """

    description = "n-gram tsvector"

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_placeholder(self, value, compiler, connection):
        # A parameter is text to psycopg: cast it, in INSERT (bulk_create too) and UPDATE alike.
        return "%s::tsvector" if connection.vendor == "postgresql" else "%s"

    def get_db_prep_value(self, value, connection, prepared=False):
        if isinstance(value, list | tuple | set | frozenset):
            return tsvector_literal(sorted(value))
        return value

    def from_db_value(self, value, expression, connection):
        # Never needed in Python; the text form is kept as is.
        return value


class SearchIndexed(models.Model):
    """A row with a maintained search document: `search_text` (normalised) and `search_vector` (its n-grams).

    Both are written from `search_source()` whenever the row is saved with one of `search_fields` (or without
    update_fields); code that writes around save() (bulk_create, queryset.update) calls `search_refresh()` or
    `manage.py rebuild_search_index`. Not a trigger: the normalisation (traditional → simplified) is Python.
    """

    search_text = models.TextField(editable=False, blank=True, default="")
    search_vector = NgramVectorField(editable=False, null=True, blank=True)

    search_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.search_refresh()
        elif set(update_fields) & set(self.search_fields):
            self.search_refresh()
            kwargs["update_fields"] = [*update_fields, "search_text", "search_vector"]
        super().save(*args, **kwargs)

    def search_source(self) -> str:
        """The text that is searched and from which snippets are cut (original script and case)."""
        return "\n".join(str(getattr(self, name) or "") for name in self.search_fields)

    def search_refresh(self) -> None:
        """Recompute the search columns from search_source() (does not save)."""
        source = self.search_source()
        self.search_text = normalize(source)
        self.search_vector = tokens(source)


class PostgresOnlySQL(RunSQL):
    """RunSQL that is skipped on SQLite (GIN indexes, pg_trgm): `make run` keeps working without them."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class ScopeAgenciesField(models.Field):
    """`integer[]`: the agencies whose clerks may see the row, written by PostgreSQL triggers only (search.scope).

    Django writes whatever the instance holds, but a BEFORE UPDATE trigger keeps the stored value unless a trigger
    or `manage.py search_scope_rebuild` writes it, so a stale instance saved later does not undo the triggers.
    On SQLite (`make run`) it is a text column that nothing reads (the clerk's search there has no scope column).
    """

    description = "agency ids (int[]) kept by triggers"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("default", list), ("editable", False), ("blank", True)):
            if kwargs.get(key, value) is value:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql":
            return ""
        return list(value or [])

    def from_db_value(self, value, expression, connection):
        return value if isinstance(value, list) else []
