"""From a search result to a short readable program: exact steps, algebra, known-optimizer detection."""
