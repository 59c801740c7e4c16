"""Youth panels check a period's themes and "you said, we did" answers before they are
public or in a final pack (``state`` holds the rule; ``services`` the use cases)."""
