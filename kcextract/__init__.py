"""kcextract: structured, grounded programme data from Vietnamese khuyến công news."""

from __future__ import annotations

__version__ = "0.1.0"

from kcextract.api import extract_path, extract_text, load_pipeline
from kcextract.schema import Record, RecordOut

__all__ = ["Record", "RecordOut", "__version__", "extract_path", "extract_text", "load_pipeline"]
