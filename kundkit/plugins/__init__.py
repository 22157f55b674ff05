"""The built-in plugins. Every module in this package is loaded as a plugin, like any other."""
