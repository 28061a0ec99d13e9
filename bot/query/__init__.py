"""Reading a question: the lexer (typed tokens), the grammar (facets, negation, bounds) and typo correction."""
