"""Exception types. The CLI turns a QyeduError into a one-paragraph message and exit code 2."""


class QyeduError(Exception):
    """An error the user can fix (bad input file, bad parameter); message says where."""


class InputError(QyeduError, ValueError):
    """A raw or user-supplied input file is missing, malformed or inconsistent.

    The message names the file and, where known, the line/row and what was expected."""

    def __init__(self, message: str, path: object = None, line: int | None = None,
                 column: str | None = None):
        super().__init__(where(path, line, column) + message)
        self.path = path
        self.line = line
        self.column = column


class BusyError(QyeduError):
    """Another refresh or build holds the project lock (exit 3, as documented)."""

    exit_code = 3


def where(path: object = None, line: int | None = None, column: str | None = None) -> str:
    """``"file, line 5, column value: "`` (the parts that are known)."""
    parts = [str(p) for p in (path,) if p is not None]
    parts += [f"line {line}"] if line is not None else []
    parts += [f"column {column}"] if column else []
    return ", ".join(parts) + ": " if parts else ""


def raise_all(problems: list[tuple[object, int | None, str | None, str]]) -> None:
    """Raise one InputError listing every ``(path, line, column, message)`` (first one in
    the error's fields), or nothing if the list is empty."""
    if not problems:
        return
    (path, line, column, first), rest = problems[0], problems[1:]
    more = "".join(f"\n  {where(p, ln, c)}{m}" for p, ln, c, m in rest)
    count = f" ({len(problems)} problems)" if rest else ""
    raise InputError(first + count + more, path, line, column)
