"""The taper calendar: the product, the patient's options, and the computed schedule."""
