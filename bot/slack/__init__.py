"""The Slack app: Block Kit rendering, listeners, the Bolt app factory and the server."""
