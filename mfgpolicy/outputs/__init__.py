"""Outputs read from the catalog: figures, the Excel summary, panel exports, the headline table, the data browser."""
