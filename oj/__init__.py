"""oj: the reference online-judge backend that carries out the async hardening plan.

Settings: ``oj.settings`` is the hardened variant (the plan done),
``oj.settings.legacy`` the plan's starting point. Both serve the same URLs with
the same envelopes.
"""
