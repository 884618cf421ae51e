"""Mail: rendering in the recipient's language (messages, text) and the durable queue (sealed at rest)."""
