"""The provider's pages: their home (their services' voice, themes, reviews, actions) and
their public right of reply to a published card or feedback entry."""
