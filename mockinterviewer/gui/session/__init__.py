"""The practice session's pages: set-up, the question, the summary, and what drives them."""
