"""Reusable, tested functions behind a report on one official visit readout (coded in ``data/``).

Chapters import from here; the only I/O is :func:`analysis.load.load_all`.
"""

from importlib.metadata import version

from .errors import ReportDataError, UnknownIdError, Violation
from .load import Dataset, load_all

__all__ = ["Dataset", "load_all", "ReportDataError", "UnknownIdError", "Violation"]
__version__ = version("dalian-tianjin-report")
