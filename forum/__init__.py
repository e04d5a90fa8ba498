"""Community forum (questions, answers, live updates). Depends on kb and support; built in a later issue."""
