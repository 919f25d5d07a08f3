"""The staff test console (/staff): inspect one question, run batches, read conversations and feedback."""
