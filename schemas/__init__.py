"""The one place that defines the output tables (see `schemas.tables`) and the error types
an `errors` row may carry (see `schemas.errors`)."""
from schemas.errors import ErrorType
from schemas.tables import SCHEMA_VERSION, TABLES, empty_table, to_table

__all__ = ["SCHEMA_VERSION", "TABLES", "ErrorType", "empty_table", "to_table"]
