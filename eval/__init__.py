"""eval stage of PolicyQA."""
