#!/usr/bin/env python
import os
import sys
from pathlib import Path


def _use_project_venv() -> None:
    """Run under the project's .venv (made by `make`) when called with an interpreter that lacks Django."""
    try:
        import django  # noqa: F401
    except ImportError:
        venv = Path(__file__).resolve().parent / ".venv"
        python = venv / "bin" / "python"
        if python.exists() and Path(sys.prefix).resolve() != venv.resolve():
            os.execv(str(python), [str(python), *sys.argv])
        raise


def main() -> None:
    _use_project_venv()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # manage.py is the developer's entry point: with no environment it runs the zero-setup defaults
    # (DEBUG, SQLite under var/), so `manage.py extract FILE` works on a fresh clone. Production sets
    # DEBUG=0 and SECRET_KEY; its entry points (wsgi.py, asgi.py, Celery) have no such default.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
