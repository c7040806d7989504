"""Exceptions raised by tekun_helpers. Bad input is never an exception: it is an Issue."""


class TekunError(Exception):
    """Base class of the workbook's own errors.

    Their messages are written for the analyst, so in a notebook (IPython) they
    are shown as the message alone, without a Python traceback.
    """

    label = "错误"

    def _render_traceback_(self) -> list[str]:
        """What IPython shows instead of the traceback (also what papermill records as the cell's error)."""
        return [f"{self.label}：{self}"]


class ParameterError(TekunError, ValueError):
    """A notebook or command parameter names something that does not exist (a mistyped township)."""

    label = "参数错误"


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


class UsageError(ParameterError):
    """A parameter that the reference data refutes (an unknown township in --township or in a notebook's
    parameters cell). The command exits 2; in a notebook only the Chinese line is shown, not a traceback."""
