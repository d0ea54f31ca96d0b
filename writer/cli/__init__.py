"""The command line: a thin typer layer (``app``) over ``writer.pipeline``, Chinese
labels for typer/click (``i18n``) and the terminal views of each command
(``*_view``).  The only package that prints or exits; it may import every layer.
"""
