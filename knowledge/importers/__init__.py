"""One module per raw source; each yields partial `Procedure` records for the merger."""
