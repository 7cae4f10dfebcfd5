"""The history page, its models and chart, saving answers as they are scored, and exports."""
