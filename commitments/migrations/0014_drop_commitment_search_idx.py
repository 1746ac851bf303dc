# Session 7: the single-column GIN over search_vector is redundant beside commitment_scope_search_idx (0013): a GIN
# over (scope_agencies, search_vector) answers `search_vector @@ …` alone as well (measured at 5M, docs/search.md),
# and every write paid for both.

from django.db import migrations

from search.fields import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0013_commitment_scope_agencies"),
    ]

    operations = [
        PostgresOnlySQL(
            "DROP INDEX IF EXISTS commitment_search_idx",
            reverse_sql="CREATE INDEX IF NOT EXISTS commitment_search_idx ON commitments_commitment USING gin (search_vector)",
        ),
    ]
