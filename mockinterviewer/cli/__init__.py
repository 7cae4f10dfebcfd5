"""The command-line front end: a thin layer over the core and the speech adapters."""
