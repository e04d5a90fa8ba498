"""Contact support, tickets, deflection and resolution reports. Depends on kb; built in a later issue."""
