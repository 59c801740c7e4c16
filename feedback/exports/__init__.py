"""Writers that turn plain tables into file bytes (CSV, XLSX).

Every writer takes headers and rows of plain values and returns ``bytes``;
routes hand those to ``send_file``. Text that a spreadsheet would run as a
formula is neutralised on the way out (see ``tables.safe_cell``).
"""
from .tables import safe_cell, to_csv, to_xlsx

__all__ = ["safe_cell", "to_csv", "to_xlsx"]
