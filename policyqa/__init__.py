"""The composition root: the one place that reads the environment into ``Settings``, wires the
engine and the application, and holds the ``policyqa`` console entry point (``policyqa.cli``).
Every other package receives what it needs as arguments."""
