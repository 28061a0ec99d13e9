"""Answering questions about postings (independent of Slack), and the Slack app."""
