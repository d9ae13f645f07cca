"""Everything that imports PySide6. Importing this package first repairs known binding defects."""

from viewer.ui import pyside_fixes  # noqa: F401
