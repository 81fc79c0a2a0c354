"""masterycheck: eligibility checker for the NCETM / Maths Hubs Mastery Specialist programmes."""

__version__ = "0.1.0"
