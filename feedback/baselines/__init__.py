"""Population baselines per area and cohort, and who we are not hearing from."""
