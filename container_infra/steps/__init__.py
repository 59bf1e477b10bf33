"""The deploy\x27s steps, which every deploy.py command composes."""
