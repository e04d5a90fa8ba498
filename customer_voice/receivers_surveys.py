"""Signal receivers: surveys (connected in CustomerVoiceConfig.ready)."""
