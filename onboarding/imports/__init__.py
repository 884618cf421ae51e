"""Newcomer imports: a CSV or XLSX read once under limits, previewed row by row, applied all or nothing."""
