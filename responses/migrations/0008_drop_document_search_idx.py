# Session 7: the single-column GIN over search_vector is redundant beside document_scope_search_idx (0007): a GIN
# over (scope_agencies, search_vector) answers `search_vector @@ …` alone as well (measured at 5M, docs/search.md),
# and every write paid for both.

from django.db import migrations

from search.fields import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [
        ("responses", "0007_document_scope_agencies"),
    ]

    operations = [
        PostgresOnlySQL(
            "DROP INDEX IF EXISTS document_search_idx",
            reverse_sql="CREATE INDEX IF NOT EXISTS document_search_idx ON responses_document USING gin (search_vector)",
        ),
    ]
