"""Reporters: render assessments and criteria as text (rich), JSON and Markdown."""
