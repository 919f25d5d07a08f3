"""Rules both Python environments need (the catalog API on 3.11, Rasa and the actions on 3.10), written
once: the procedure-code pattern, the reply contract, the portal's address, the characters no text keeps,
and the catalog API's wire types. Standard library only, so either environment can import it."""
