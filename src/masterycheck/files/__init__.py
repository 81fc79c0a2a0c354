"""Loading the files people write (criteria, profiles, mappings, overlays): YAML with positions,
validated into the core's models, errors naming file:line:column.
"""
