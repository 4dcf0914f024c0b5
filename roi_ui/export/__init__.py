"""Leave-behind files, pure builders: scenario (and figures, frames) in, bytes out.
:mod:`~roi_ui.export.html`, :mod:`~roi_ui.export.xlsx`, :mod:`~roi_ui.export.pptx`
for the business case; :mod:`~roi_ui.export.tables` for CSV and XLSX of a table.
Tests read each file back and compare with :func:`roi_core.evaluate`."""
