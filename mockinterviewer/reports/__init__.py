"""Reports of practice sessions: a plain model (model.py) rendered as HTML, Markdown, PDF, JSON or CSV."""
