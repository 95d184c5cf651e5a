"""Reusable, tested functions behind a report on one official visit readout (coded in ``data/``).

Chapters import from here; the only I/O is :func:`analysis.data.load.load_all`.
"""

from importlib.metadata import version

from .data.errors import ReportDataError, UnknownIdError, Violation
from .data.load import Dataset, load_all

__all__ = ["Dataset", "load_all", "ReportDataError", "UnknownIdError", "Violation"]
__version__ = version("dalian-tianjin-report")
