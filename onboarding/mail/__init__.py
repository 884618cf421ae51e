"""Mail: the durable queue (sealed at rest) and plain-text rendering in the recipient's language."""
