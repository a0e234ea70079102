"""In-app notifications (and notification mail for members who consented)."""
