"""The diff of a deployment: its model, how it is computed from two templates and a change set, what it grants,
what it hides (secrets), what it guards (replacements), and its drift and validation annotations.

Pure, like `cfn`: nothing here talks to AWS or draws on a terminal (a test enforces it)."""
