"""Archive Viewer: who said what, in an offline archive of event reports."""

__version__ = "0.1.0"
