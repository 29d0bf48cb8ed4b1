"""Persistence: tables, repositories and the database engine."""
