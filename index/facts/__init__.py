"""Fact extraction, one module per fact: salary, remote, employment type, years, degree, languages, location.

index.extract.extract_facts composes them; index.cues tells which facts a text has a cue for.
"""
