"""deploy.py's parts: change sets, the diff, approval, following the stack to the end."""
