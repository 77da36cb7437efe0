"""The error every layer raises for bad input from the user.

It lives apart from the CLI so library modules can raise it without importing the
command line; ``discover.__main__`` turns it into one line on stderr and exit code 2.
"""


class UserError(Exception):
  """Bad input from the user: reported in one line, exit code 2."""
