"""Rendered output: referral-list exports, the care plan as PDF / print HTML / calendar, QR codes, legends."""
