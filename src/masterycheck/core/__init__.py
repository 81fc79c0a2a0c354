"""The pure core: fields and answers, rules, programmes, overlays, the engine and its results.

Nothing here reads a file, touches a terminal or imports from the other packages.
"""
