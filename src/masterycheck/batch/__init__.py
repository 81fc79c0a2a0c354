"""Batch screening: reading form exports (CSV/XLSX), mapping their columns to fields, and the
screening run.
"""
