"""Commissioner insight: themed dashboard, theme curation, answering cards,
exports, and the public "you said, we did" page."""
