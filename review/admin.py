"""Django admin: nothing of the review. Programs are kept on their own pages (/programs/),
decisions and notes only through the review dashboard: both write the audit log."""
