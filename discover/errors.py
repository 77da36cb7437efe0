"""The error every layer raises for bad input from the user, and how it is shown.

It lives apart from the CLI so library modules can raise it without importing the
command line; ``discover.__main__`` turns it into one line on stderr (``one_line``) and
exit code 2.
"""

# The longest error message the CLI prints: input quoted in a message (a variable name, a
# path) can be any length, and an error must stay one readable line.
MAX_ERROR_LENGTH = 500


class UserError(Exception):
  """Bad input from the user: reported in one line, exit code 2."""


def one_line(text: str, limit: int = MAX_ERROR_LENGTH) -> str:
  """``text`` as one line of at most ``limit`` characters: line breaks become spaces, and
  a longer text keeps its start (where and what) and its end, cut in between."""
  text = " ".join(text.splitlines())
  if len(text) <= limit:
    return text
  cut = " ... "
  tail = (limit - len(cut)) // 3
  return text[:limit - len(cut) - tail] + cut + text[len(text) - tail:]
