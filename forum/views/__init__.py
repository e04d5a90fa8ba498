"""The forum's pages and form endpoints: thin views over forum.services and forum.permissions."""
