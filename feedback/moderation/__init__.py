"""Moderation and safeguarding queues over action cards and feedback entries."""
