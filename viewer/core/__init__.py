"""The Qt-free core: plain Python over sqlite3 and sqlite-utils (no PySide6, no viewer.ui, no viewer.commands)."""
