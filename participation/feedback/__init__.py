"""Website feedback (channel 3): an institution registers its website, pastes one line into its pages, and visitors
say whether a page helped; feedback that asks for an answer becomes a case in the institution's inbox."""
