"""The charts' geometry lives in `kaikukeskus.charts` (shared with the outreach coverage); stats keeps its name."""

from kaikukeskus.charts import Bar, BarChart, Column, ColumnChart, Tick, bar_chart, column_chart, nice_ceiling

__all__ = ["Bar", "BarChart", "Column", "ColumnChart", "Tick", "bar_chart", "column_chart", "nice_ceiling"]
