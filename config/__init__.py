"""The Django project: settings and the environment readers behind them, the root URLconf, the WSGI and
ASGI entry points, the shared database cache backend and the log filters. The apps are ``onboarding``
and ``eed``.
"""
