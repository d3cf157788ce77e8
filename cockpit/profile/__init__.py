"""The Mackay 66 customer profile: its schema and the values stored for it."""
