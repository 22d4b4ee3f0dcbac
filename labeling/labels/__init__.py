"""Labels: issuance in signed batches, the label lifecycle, and their reading."""
