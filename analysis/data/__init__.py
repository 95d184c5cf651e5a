"""Data layer: the one loader, the data dictionary and every check of the tables."""
