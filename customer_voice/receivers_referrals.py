"""Signal receivers: referrals (connected in CustomerVoiceConfig.ready)."""
