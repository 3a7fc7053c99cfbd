"""The one place that defines the output tables (see `schemas.tables`)."""
from schemas.tables import SCHEMA_VERSION, TABLES, empty_table, to_table

__all__ = ["SCHEMA_VERSION", "TABLES", "empty_table", "to_table"]
