"""Exceptions raised by tekun_helpers. Bad input is never an exception: it is an Issue."""


class TekunError(Exception):
    """Base class of the workbook's own errors."""


class PolicyError(TekunError):
    """policy.toml or the reference data is missing or malformed."""


class ValidationFailed(TekunError):
    """The month's data has errors, so a report cannot be made.

    ``issues`` holds every issue found (errors and warnings).
    """

    def __init__(self, message: str, issues=()):
        super().__init__(message)
        self.issues = list(issues)


class FontNotFound(TekunError):
    """No Chinese font is installed for the charts."""


class RenderError(TekunError):
    """Executing or converting a report failed."""


class UsageError(TekunError):
    """A parameter that the reference data refutes (an unknown township in --township or in a notebook's
    parameters cell). The command exits 2; in a notebook only the Chinese line is shown, not a traceback."""

    def _render_traceback_(self):   # IPython shows this instead of the traceback
        return [f"参数错误：{self}"]
