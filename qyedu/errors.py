"""Exception types. The CLI turns a QyeduError into a one-paragraph message and exit code 2."""


class QyeduError(Exception):
    """An error the user can fix (bad input file, bad parameter); message says where."""


class InputError(QyeduError, ValueError):
    """A raw or user-supplied input file is missing, malformed or inconsistent.

    The message names the file and, where known, the line/row and what was expected."""

    def __init__(self, message: str, path: object = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}" + (f", line {line}" if line is not None else "") + ": "
        super().__init__(where + message)
        self.path = path
        self.line = line
