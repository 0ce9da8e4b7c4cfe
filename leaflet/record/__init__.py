"""The record: reading a drug record with its line numbers, the typed model, and validation."""
