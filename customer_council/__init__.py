"""Private customer advisory council. Depends on kb and forum; built in a later issue."""
