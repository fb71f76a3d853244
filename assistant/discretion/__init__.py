"""The discretion advisor (裁量基准): from the facts of a case to the tier, 不予处罚 items and basis."""
