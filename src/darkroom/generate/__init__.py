"""Image generation: the MNIST VAE and DCGAN (training, sampling, figures)."""

from darkroom.generate.gan import sample_gan, train_gan
from darkroom.generate.vae import evaluate_vae, interpolate, latent_manifold, negative_elbo, sample_vae, train_vae

__all__ = ["evaluate_vae", "interpolate", "latent_manifold", "negative_elbo", "sample_gan", "sample_vae", "train_gan", "train_vae"]
