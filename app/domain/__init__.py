"""The learner's world as pure Python: courses, exercises, grading, study sessions, progress.

Imports nothing but the standard library: no UI, database, network or clock (time is passed in).
"""
