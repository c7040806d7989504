"""tekun workbook: read, check and report the Aohan Banner's monthly tables on people in extreme hardship.

Public API::

    from tekun_helpers import load_month
    m = load_month("2023-08")        # MonthData: .townships, .homes, .issues, .sources
"""
from .config.policy import Policy, load_policy
from .config.reference import Reference, load_reference
from .core.exceptions import (
    FontNotFound,
    PolicyError,
    RenderError,
    TekunError,
    ValidationFailed,
)
from .core.issues import Issue
from .month import MonthData, check_month, load_month

__version__ = "0.1.0"

__all__ = [
    "load_month", "MonthData", "check_month", "Issue", "Policy", "load_policy", "Reference", "load_reference",
    "TekunError", "PolicyError", "ValidationFailed", "FontNotFound", "RenderError", "__version__",
]
