"""The audit behind ``manage.py async_probe_audit``: endpoints, runs, tables, baseline.

``main.run(Options(...), out, err)`` is the whole audit as a function; the
management command parses options into :class:`~async_probe.audit.main.Options`
and turns the outcome's status into the process's exit status.
"""
