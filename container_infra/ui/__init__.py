"""What a person sees and answers: terminal output, tables and the approval prompt."""
