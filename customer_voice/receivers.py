"""Signal receivers of customer_voice, connected in CustomerVoiceConfig.ready."""
