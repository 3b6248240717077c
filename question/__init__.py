"""Reading a question: one parse into a frozen Query that every later step reads."""
