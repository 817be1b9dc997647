"""My activity (issue 18): what the signed-in person wrote, supported, reported and belongs to, and what became of it."""
