"""service stage of PolicyQA."""
