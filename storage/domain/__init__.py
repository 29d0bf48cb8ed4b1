"""Pure domain rules: blood groups, compatibility, eligibility, phones, places, dates."""
