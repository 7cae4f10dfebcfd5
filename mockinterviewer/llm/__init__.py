"""An optional language model the candidate runs on their own computer (docs/language-model.md).

Nothing here is imported, and no connection is made, unless an endpoint is configured.
"""
