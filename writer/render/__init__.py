"""Rendering: templates (``templates``) word the model, ``layout`` orders it into a
Document, and the sibling writers (``markdown``, ``docx``) read only that Document;
``publish`` chooses the paths and writes each output with its sources sidecar,
atomically (``output``).  May import every layer below it, never ``check``, the
pipeline or the CLI.
"""
