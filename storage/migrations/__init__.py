"""Alembic migrations for the bloodbot schema; `storage.db.upgrade_schema` runs them."""
