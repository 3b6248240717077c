"""index stage of PolicyQA."""
