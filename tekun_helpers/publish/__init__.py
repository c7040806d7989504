"""Executing the notebooks, HTML and PDF, the batch, the index page, the Excel export.

Importing this package first imports jsonschema (which nbformat uses) without its optional ``iri``
format checker: when the package rfc3987-syntax is installed (jupyter_events brings it in),
jsonschema imports it at once and it builds a grammar, 0.8 s on a 2-core machine, in the command
and again in each batch worker. Neither nbformat nor this project checks ``iri`` formats. The block
lasts only while jsonschema is imported: rfc3987_syntax itself stays importable
(python-jsonschema/jsonschema#1428 asks upstream for a lazy import).
"""
import sys


def _import_jsonschema_without_the_iri_grammar() -> None:
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return                    # already imported in this process: nothing to save
    sys.modules["rfc3987_syntax"] = None          # an ImportError for jsonschema's optional import
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        pass
    finally:
        del sys.modules["rfc3987_syntax"]


_import_jsonschema_without_the_iri_grammar()
