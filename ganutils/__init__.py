"""ganutils: the small library behind the literate GAN-on-MNIST study."""

from ganutils.artifacts import load_classifier, load_generator

__all__ = ["load_classifier", "load_generator"]
