"""tekun workbook helpers."""
