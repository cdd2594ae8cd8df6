"""Pages of the WeChat channels: `staff` (group robots, pushing a
publication) and `callback` (the official account's message callback)."""
