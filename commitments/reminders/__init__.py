"""Deadline reminders: when they fall due (schedule), what is due now (scan), how they are grouped (digest)
and how they reach people (channels). Celery tasks in commitments/tasks.py only call into this package."""
