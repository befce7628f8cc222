"""`make bench`: the performance record of annotator (issue 7). Run as `python -m bench`."""
