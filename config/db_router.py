"""Reads to a streaming replica, writes to the primary: on only when DATABASE_REPLICA_URL is set (docs/deployment.md)."""

from __future__ import annotations

from django.db import connections

REPLICA = "replica"


class ReplicaRouter:
    """Dashboard, list, search and API reads go to the `replica` alias; writes and migrations to `default`.

    A read inside a transaction on the primary (a service that reads what it has just written, a
    select_for_update) stays on the primary: the replica lags by up to a second or so and cannot lock rows.
    """

    def db_for_read(self, model, **hints):
        if connections["default"].in_atomic_block:
            return "default"
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The same data on both aliases: a row read from the replica may reference one written on the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
