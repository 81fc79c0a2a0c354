"""Readers and writers at the edge: YAML, CSV, XLSX, JSON, HTML."""
