"""Writing files safely (atomically, never over an input, formulas escaped) and text for a
terminal that is inert.
"""
