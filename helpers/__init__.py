"""Helpers for the "Concurrency in Python" course.

Everything a notebook should not define itself lives here: picklable workers for process pools,
the local HTTP demo server, timing, timelines, logging set-up and the start-method knob.
"""
