"""The workspace: server-rendered pages for the people who create the trust — inspectors,
body administrators, artisans — in the same FastAPI application as the API, calling the same
service functions (docs/workspace.md)."""
