"""Search: one analyzer for four languages, a Whoosh or PostgreSQL index kept in step
with the database through a queue, the /search page, and similar ideas."""
