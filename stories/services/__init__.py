"""Story mutations: one function per action (permission check, write, audit), called by views,
the admin, and other apps (the NPS follow-up)."""
