"""``python -m policykg`` is the ``policykg`` command."""
from .cli import app

app(prog_name="policykg")
