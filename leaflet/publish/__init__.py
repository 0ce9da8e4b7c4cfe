"""Publishing: the build that wires the stages, the writer, manifest, booklets, fingerprints."""
