"""TMF629 v5 conformance suite, runnable against any live server (``--url``)."""
