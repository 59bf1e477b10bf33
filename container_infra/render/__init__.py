"""The diff and the stack status as people and programs read them: text, Markdown and JSON."""
